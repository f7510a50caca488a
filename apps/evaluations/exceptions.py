"""Typed refusals of the evaluations app, each with a reason a person can act on and the field at fault."""

from apps.core.exceptions import DomainError


class EvaluationError(DomainError):
    code = "evaluation_error"


class NotAllowed(EvaluationError):
    status = 403
    code = "not_allowed"


class RecordNotEditable(EvaluationError):
    status = 409
    code = "record_not_editable"


class StaleRecord(EvaluationError):
    status = 409
    code = "stale_record"


class IdempotencyConflict(EvaluationError):
    status = 409
    code = "idempotency_conflict"


class YearPublished(EvaluationError):
    status = 409
    code = "year_published"


class NoRuleInForce(EvaluationError):
    status = 409
    code = "no_rule"


class NothingToPublish(EvaluationError):
    status = 409
    code = "nothing_to_publish"


class RunSuperseded(EvaluationError):
    """A recomputation that started later (so read later inputs) has already stored the year's results."""

    status = 409
    code = "run_superseded"
