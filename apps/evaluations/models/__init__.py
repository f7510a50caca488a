"""Performance sharing and the evaluation indices (DOMAIN.md §7 and §1).

Design
- A `SharingRecord` is one performance-sharing arrangement a principal company registers: the project, its partners
  (each with a tier, `SharingPartner`), the transaction type (subcontracting, platform, distribution, dealership),
  the goal, contract and registration dates, the outcome, the sharing method and the amount in whole won, and its
  evidence (a description, and optionally a private file kept under MEDIA_ROOT and served only through a
  permission-checked view). The company edits it while it is `submitted`; an administrator confirms it (or rejects
  it with a reason). Every change of it is a `SharingRecordEvent`, with the actor. Only confirmed records count.
- Configuration, all effective-dated (`valid_from`/`valid_to`) and seeded by a data migration, edited in the back
  office: `SharingMethodWeight` (method → weight and the cash-equivalent flag; cash and joint IP ×2), the
  `IndexRule` of each index (its weights as a JSON object and its grade cut-offs; the rule in force on 31 December
  of the evaluated year applies) and `ContributionPointBand` (preferential points by won contributed in the year;
  the highest band reached applies, so the top band is the cap).
- Inputs per company and year: `SgiInput` (SME perception survey 0–80, company performance 0–20, deductions 0–12,
  fair-trade agreement score 0–100, under investigation) and `DefenceInput` (the defence evaluation's components).
  The Win-Win Finance Index reads its inputs from the pool (contributions, guarantees, partner SMEs reached).
- `EvaluationRun` records one recomputation of an index for a year (status, done/total). Its results are
  `EvaluationResult` rows, one per company, year and index, each with the inputs it used (a JSON snapshot) and the
  rule versions used: a result never changes when a rule changes, only when the year is recomputed — and a year
  whose results are published (`EvaluationYear`) is not recomputed until an administrator reopens it.
- Only grades are published: companies see their own grade and honour status once the year is published; scores,
  inputs and other companies' grades stay with administrators and auditors.
"""

from .base import SCORE_FIELD, WEIGHT_FIELD, Effective, EffectiveQuerySet
from .indices import (
    GRADED,
    RULE_KEYS,
    SCALED_KEYS,
    ContributionPointBand,
    DefenceInput,
    EvaluationResult,
    EvaluationRun,
    EvaluationYear,
    Grade,
    IndexKind,
    IndexRule,
    RunStatus,
    SgiInput,
    YearStatus,
)
from .records import (
    PartnerTier,
    RecordAction,
    RecordStatus,
    SharingMethod,
    SharingMethodWeight,
    SharingPartner,
    SharingRecord,
    SharingRecordEvent,
    TransactionType,
    evidence_path,
)

__all__ = [
    "GRADED", "RULE_KEYS", "SCALED_KEYS", "SCORE_FIELD", "WEIGHT_FIELD", "ContributionPointBand", "DefenceInput",
    "Effective", "EffectiveQuerySet", "EvaluationResult", "EvaluationRun", "EvaluationYear", "Grade", "IndexKind",
    "IndexRule", "PartnerTier", "RecordAction", "RecordStatus", "RunStatus", "SgiInput", "SharingMethod",
    "SharingMethodWeight", "SharingPartner", "SharingRecord", "SharingRecordEvent", "TransactionType",
    "YearStatus", "evidence_path",
]
