"""The guarantee institutions of the win-win finance pool, as seeded by the data migration and by
`services.institutions_setup` (code, Korean name, English name)."""

INSTITUTIONS = (
    ("kodit", "신용보증기금", "Korea Credit Guarantee Fund (KODIT)"),
    ("kibo", "기술보증기금", "Korea Technology Finance Corporation (KIBO)"),
    ("ksure", "한국무역보험공사", "Korea Trade Insurance Corporation (K-SURE)"),
)
