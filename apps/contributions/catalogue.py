"""The designated uses a contribution may name (DOMAIN.md §2), as first seeded, valid from 2026-01-01 for the
win-win cooperation fund and the win-win finance pool.

Only the starting values: administrators end a use (`valid_to`), add a new version of it, or link it to other
funds in the back office. `general` is the undesignated class; whether it exists is configuration, so it is an
ordinary row an administrator may end.
"""

from __future__ import annotations

from datetime import date

SEED_VALID_FROM = date(2026, 1, 1)
SEED_FUND_CODES = ("wwcf", "wwfp")  # apps.funds.catalogue: the win-win cooperation fund and the finance pool
GENERAL = "general"

SEED_USES = (
    ("performance_sharing", "성과공유", "Performance sharing"),
    ("technology_cooperation", "기술협력", "Technology cooperation"),
    ("personnel_exchange", "인력교류", "Personnel exchange"),
    ("environmental_management", "환경경영", "Environmental management"),
    ("wage_gap_relief", "임금격차 해소", "Wage-gap relief"),
    ("fund_operation", "기금 운영", "Fund operation"),
    ("productivity", "생산성 향상", "Productivity"),
    ("technology_protection", "기술보호", "Technology protection"),
    ("startup_support", "창업 지원", "Start-up support"),
    ("market_expansion", "판로개척", "Market expansion"),
    ("fair_trade", "공정거래", "Fair trade"),
    ("culture", "문화", "Culture"),
    ("venture_fund_investment", "벤처펀드 투자", "Venture-fund investment"),
    ("worker_welfare", "근로자 복지", "Worker welfare"),
    (GENERAL, "일반 (용도 미지정)", "General (undesignated)"),
)
