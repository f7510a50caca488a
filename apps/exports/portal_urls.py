"""Pages of auditors' ledger exports (CSV, XLSX, SAF-T XML)."""

app_name = "exports"

urlpatterns: list = []
