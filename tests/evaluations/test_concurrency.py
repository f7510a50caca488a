"""Recomputations, publications and registrations at the same time (PostgreSQL: real row locks and unique keys)."""

import pytest
from django.db.models import F

from apps.evaluations import services
from apps.evaluations.models import (
    EvaluationResult,
    EvaluationYear,
    RunStatus,
    SgiInput,
    SharingRecord,
    SharingRecordEvent,
    YearStatus,
)
from tests.ledger.test_concurrency import in_threads
from tests.organizations.factories import OrganizationFactory

from .conftest import YEAR, sgi_input

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def companies(db):
    found = [OrganizationFactory() for _ in range(120)]  # more than one chunk
    for n, organization in enumerate(found):
        sgi_input(organization, survey=str(40 + n % 40), performance=str(n % 20), fair_trade=str(50 + n % 50))
    return found


def test_recomputations_of_one_year_at_once_store_one_result_per_company(companies):
    runs = in_threads(4, lambda i: services.evaluation_recompute(actor=f"test-{i}", kind="sgi", year=YEAR))
    assert all(not isinstance(r, Exception) for r in runs), runs
    assert all((r.done, r.total) == (120, 120) for r in runs)
    # The run that started last stores; one that started before it and came to write after it is refused.
    latest = max(runs, key=lambda r: r.started_at)
    assert latest.status == RunStatus.DONE
    assert all(r.status == RunStatus.DONE or (r.status == RunStatus.REFUSED and "started later" in r.error)
               for r in runs)
    assert EvaluationResult.objects.filter(kind="sgi", year=YEAR).count() == 120
    assert EvaluationYear.objects.filter(kind="sgi", year=YEAR).count() == 1


def test_a_publication_racing_a_recomputation_publishes_the_year_all_old_or_all_new(companies):
    services.evaluation_recompute(actor="test", kind="sgi", year=YEAR)
    old = set(EvaluationResult.objects.values_list("organization_id", "score"))
    SgiInput.objects.update(survey_score=F("survey_score") - 10)  # every score falls by 5

    def act(i):
        if i == 0:
            return services.evaluation_publish(actor="test", kind="sgi", year=YEAR)
        return services.evaluation_recompute(actor="test", kind="sgi", year=YEAR)

    publication, run = in_threads(2, act)
    assert not isinstance(publication, Exception) and not isinstance(run, Exception), (publication, run)
    assert EvaluationYear.objects.get(kind="sgi", year=YEAR).status == YearStatus.PUBLISHED
    now = set(EvaluationResult.objects.values_list("organization_id", "score"))
    if run.status == RunStatus.DONE:  # the recomputation's write came first
        assert now == {(pk, score - 5) for pk, score in old}
    else:  # the publication came first: the run was refused and wrote nothing
        assert (run.status, now) == (RunStatus.REFUSED, old)


def test_one_submission_key_sent_at_once_from_many_requests_registers_one_record(record):
    made = in_threads(6, lambda i: record(actor=f"test-{i}", idempotency_key="portal:same-form"))
    assert all(isinstance(r, SharingRecord) for r in made), made
    assert len({r.pk for r in made}) == 1
    assert sum(not getattr(r, "is_replay", False) for r in made) == 1
    assert SharingRecord.objects.count() == 1
    assert SharingRecordEvent.objects.count() == 1
