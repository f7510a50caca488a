"""Pages of the Strategic Export Finance Fund: projects, disbursements, repayments, profit reports and recycling."""

app_name = "exportfinance"

urlpatterns: list = []
