"""What the books of `conftest.books` must show, worked out by hand (whole won)."""

BOOKS = {
    # wwcf, 2026: contributions 500 m, matching 300 m, transfer in 50 m; cash 800 m (2025) + 500 − 100 + 30.
    "wwcf_revenue_2026": 850_000_000,
    "wwcf_cash_2026": 1_230_000_000,
    "wwcf_cash_2025": 800_000_000,
    "wwcf_net_assets_2025": 800_000_000,
    "wwcf_net_assets_2026": 1_650_000_000,
    # sef, 2026: contribution 800 m, transfer out 50 m, paid 30 m of it.
    "sef_cash_2026": 770_000_000,
    "sef_net_assets_2026": 750_000_000,
}
