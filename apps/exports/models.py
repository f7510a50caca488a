"""Auditors' ledger exports (CSV, XLSX, SAF-T XML)."""
