"""The Strategic Export Finance Fund: projects, disbursements, repayments, profit reports and recycling."""
