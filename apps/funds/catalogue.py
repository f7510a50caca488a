"""The four funds of the 2026 win-win growth strategy (DOMAIN.md §1), as `funds_setup` first creates them.

Targets and managing institutions are only the starting values: administrators edit them on the fund afterwards,
and `funds_setup` never overwrites what they set.
"""

from __future__ import annotations

from dataclasses import dataclass

WIN_WIN_COOPERATION = "wwcf"
WIN_WIN_FINANCE_POOL = "wwfp"
STRATEGIC_EXPORT_FINANCE = "sef"
DAMAGE_RELIEF = "relief"


@dataclass(frozen=True)
class FundSpec:
    code: str
    name_ko: str
    name_en: str
    institution_ko: str
    institution_en: str
    description: str
    target_amount: int | None = None
    target_start_year: int | None = None
    target_end_year: int | None = None


FUNDS = (
    FundSpec(
        WIN_WIN_COOPERATION, "상생협력기금", "Win-Win Cooperation Fund",
        "대·중소기업·농어업협력재단", "Korea Foundation for Cooperation of Large & Small Businesses, Rural Affairs",
        "대기업·공공기관·금융기관 등의 출연으로 조성, 지정 용도에 따라 중소기업을 지원합니다. "
        "Contributions from large companies, public enterprises and financial institutions, spent on the uses "
        "they designate for SMEs.",
        target_amount=1_500_000_000_000, target_start_year=2026, target_end_year=2030,
    ),
    FundSpec(
        WIN_WIN_FINANCE_POOL, "상생금융 재원", "Win-Win Finance Pool",
        "신용보증기금", "Korea Credit Guarantee Fund (KODIT)",
        "대기업·금융기관 출연으로 보증기관(신보·기보·무보)이 협력 중소기업에 연계 보증·대출을 제공합니다. "
        "Contributions fund guarantee-linked support for the contributors' partner SMEs.",
        target_amount=1_700_000_000_000,
    ),
    FundSpec(
        STRATEGIC_EXPORT_FINANCE, "전략수출금융기금", "Strategic Export Finance Fund",
        "한국수출입은행", "The Export-Import Bank of Korea",
        "대규모·장기 수출 프로젝트를 금융 지원하고, 수혜 기업 이익의 일부를 환원받아 산업 생태계로 환류합니다. "
        "Finances large, long-term export projects; a share of the beneficiaries' profit is recycled to the "
        "ecosystem.",
    ),
    FundSpec(
        DAMAGE_RELIEF, "피해구제기금", "Damage-Relief Fund",
        "한국공정거래조정원", "Korea Fair Trade Mediation Agency",
        "불공정거래로 피해를 입은 기업을 구제하며, 과징금으로 조성됩니다. "
        "Relieves companies harmed by unfair trade practices; financed from fines.",
    ),
)
