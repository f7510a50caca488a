"""The computation of one index's year: the configuration a run reads once (`Config`, with the snapshot every
result keeps), and each company's score and grade from its inputs (`COMPUTE[kind]`). Reads only; `services`
stores what this returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from apps.organizations.models import Organization

from . import scoring, selectors
from .exceptions import EvaluationError
from .models import DefenceInput, IndexKind, IndexRule, SgiInput


@dataclass
class Config:
    """The configuration one run uses, read once, and its snapshot for every result."""

    rule: IndexRule
    weights: dict
    cutoffs: list[tuple[str, Decimal]]
    bands: list[tuple[int, Decimal]]
    snapshot: dict

    @classmethod
    def load(cls, rule: IndexRule, kind: str, year: int) -> Config:
        try:
            weights, cutoffs = rule.weight_values(), rule.cutoff_values()
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise EvaluationError(f"the rule {rule} is incomplete: fix its weights or cut-offs", field="rule") from exc
        bands = selectors.bands_for(kind, year)
        snapshot = {
            "rule": {"id": rule.pk, "version": rule.version, "valid_from": rule.valid_from.isoformat(),
                     "weights": rule.weights, "cutoffs": rule.cutoffs, "honour_streak": rule.honour_streak},
            "contribution_bands": [{"id": b.pk, "min_won": b.min_won, "points": str(b.points)} for b in bands],
        }
        return cls(rule, weights, cutoffs, [(b.min_won, b.points) for b in bands], snapshot)


@dataclass
class Computed:
    organization_id: int
    score: Decimal | None
    grade: str
    inputs: dict
    rules: dict

    @property
    def deferred(self) -> bool:
        return self.score is None


def _graded(config: Config, score: Decimal | None) -> str:
    return "" if score is None else scoring.grade_for(score, config.cutoffs)


def _sgi(config: Config, year: int, companies: Sequence[Organization]) -> list[Computed]:
    ids = [c.pk for c in companies]
    inputs = {i.organization_id: i for i in SgiInput.objects.filter(year=year, organization_id__in=ids)}
    contributed = selectors.contributed_won(ids, year)
    records = selectors.weighted_records(ids, year)
    out = []
    for pk in ids:
        given, own = inputs[pk], records.get(pk, [])
        won = contributed.get(pk, 0)
        points = scoring.band_points(won, config.bands)
        weighted = sum(r.weighted for r in own)
        snapshot = {
            "survey_score": str(given.survey_score), "performance_score": str(given.performance_score),
            "deductions": str(given.deductions), "fair_trade_score": str(given.fair_trade_score),
            "under_investigation": given.under_investigation, "contributed_won": won,
            "contribution_points": str(scoring.kept(points)), "sharing_won": sum(r.amount for r in own),
            "weighted_sharing_won": weighted,
            "cash_equivalent_won": sum(r.amount for r in own if r.cash_equivalent),
            "sharing_records": [{"id": r.record, "method": r.method, "amount": r.amount, "weight": str(r.weight),
                                 "weight_id": r.weight_id, "cash_equivalent": r.cash_equivalent} for r in own],
        }
        score = None
        if not given.under_investigation:
            parts = scoring.sgi_score(survey=given.survey_score, performance=given.performance_score,
                                      deductions=given.deductions, fair_trade=given.fair_trade_score,
                                      weighted_sharing_won=weighted, contribution_points=points, w=config.weights)
            snapshot.update({k: str(v) for k, v in parts.items() if k != "score"})
            score = parts["score"]
        rules = {**config.snapshot, "sharing_weights": sorted({r.weight_id for r in own if r.weight_id})}
        out.append(Computed(pk, score, _graded(config, score), snapshot, rules))
    return out


def _wfi(config: Config, year: int, companies: Sequence[Organization]) -> list[Computed]:
    out = []
    for organization in companies:
        got = selectors.finance_index_inputs(organization, year)
        values = {"contributed_won": got.contributed_won, "guarantees_won": got.guarantees_won,
                  "guarantees_count": got.guarantees_count, "partner_smes_reached": got.partner_smes_reached}
        parts = scoring.wfi_score(values=values, w=config.weights)
        snapshot = {**values, "source": got.source, **{k: str(v) for k, v in parts.items() if k != "score"}}
        out.append(Computed(organization.pk, parts["score"], _graded(config, parts["score"]), snapshot,
                            config.snapshot))
    return out


def _defence(config: Config, year: int, companies: Sequence[Organization]) -> list[Computed]:
    ids = [c.pk for c in companies]
    inputs = {i.organization_id: i for i in DefenceInput.objects.filter(year=year, organization_id__in=ids)}
    contributed = selectors.contributed_won(ids, year)
    out = []
    for pk in ids:
        given, won = inputs[pk], contributed.get(pk, 0)
        points = scoring.band_points(won, config.bands)
        snapshot = {"cooperation_score": str(given.cooperation_score),
                    "technology_score": str(given.technology_score),
                    "localization_score": str(given.localization_score), "deductions": str(given.deductions),
                    "under_investigation": given.under_investigation, "contributed_won": won,
                    "contribution_points": str(scoring.kept(points))}
        score = None if given.under_investigation else scoring.defence_score(
            cooperation=given.cooperation_score, technology=given.technology_score,
            localization=given.localization_score, deductions=given.deductions, contribution_points=points,
            w=config.weights)["score"]
        out.append(Computed(pk, score, _graded(config, score), snapshot, config.snapshot))
    return out


COMPUTE = {IndexKind.SGI: _sgi, IndexKind.WFI: _wfi, IndexKind.DEFENCE: _defence}
