"""REST API of auditors' ledger exports (CSV, XLSX, SAF-T XML), mounted under /api/v1/."""

urlpatterns: list = []
