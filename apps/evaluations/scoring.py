"""The arithmetic of the indices: pure functions of the inputs and a rule's weights, in Decimals (never a float).

Shared Growth Index (DOMAIN.md §7), every factor a weight of the rule:
  sharing points   = min(weighted sharing won / sharing_won_per_point, sharing_points_max)
  performance      = min(performance evaluation + sharing points, performance_max)
  comprehensive    = survey × survey + performance × performance − deductions × deductions
  score            = comprehensive × comprehensive + fair-trade score × fair_trade + contribution points
Win-Win Finance Index: Σ over its components of min(value / unit × points, max).
Defence evaluation: cooperation × w + technology × w + localisation × w − deductions × w + contribution points.
Scores are kept to three decimals (half up); the grade is the best whose cut-off the kept score reaches.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .models import Grade

PLACES = Decimal("0.001")


def kept(score: Decimal) -> Decimal:
    return score.quantize(PLACES, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal, cutoffs: list[tuple[str, Decimal]]) -> str:
    for grade, lowest in cutoffs:
        if score >= lowest:
            return grade
    return Grade.POOR


def band_points(won: int, bands: list[tuple[int, Decimal]]) -> Decimal:
    """The points of the highest band whose minimum `won` reaches (0 below the first)."""
    reached = [points for minimum, points in bands if won >= minimum]
    return max(reached, default=Decimal(0))


def sgi_score(*, survey: Decimal, performance: Decimal, deductions: Decimal, fair_trade: Decimal,
              weighted_sharing_won: int, contribution_points: Decimal, w: dict) -> dict[str, Decimal]:
    sharing_points = min(Decimal(weighted_sharing_won) / w["sharing_won_per_point"], w["sharing_points_max"])
    performance_total = min(performance + sharing_points, w["performance_max"])
    comprehensive = survey * w["survey"] + performance_total * w["performance"] - deductions * w["deductions"]
    score = comprehensive * w["comprehensive"] + fair_trade * w["fair_trade"] + contribution_points
    return {"sharing_points": kept(sharing_points), "performance_total": kept(performance_total),
            "comprehensive": kept(comprehensive), "score": kept(score)}


def wfi_score(*, values: dict[str, int], w: dict) -> dict[str, Decimal]:
    parts = {key: kept(min(Decimal(values[key]) / scale["unit"] * scale["points"], scale["max"]))
             for key, scale in w.items()}
    return {**{f"{key}_points": points for key, points in parts.items()}, "score": kept(sum(parts.values()))}


def defence_score(*, cooperation: Decimal, technology: Decimal, localization: Decimal, deductions: Decimal,
                  contribution_points: Decimal, w: dict) -> dict[str, Decimal]:
    score = (cooperation * w["cooperation"] + technology * w["technology"] + localization * w["localization"]
             - deductions * w["deductions"] + contribution_points)
    return {"score": kept(score)}
