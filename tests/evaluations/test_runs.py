"""Recomputing an index's year: runs with progress, results that keep the inputs and rules they used, publication
that freezes them until an administrator reopens the year, and the Celery task (eager, and a real worker)."""

import os
import time
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest

from apps.evaluations import services
from apps.evaluations.exceptions import NotAllowed, NothingToPublish, YearPublished
from apps.evaluations.models import (
    EvaluationResult,
    EvaluationRun,
    Grade,
    IndexKind,
    IndexRule,
    RunStatus,
    SgiInput,
    YearStatus,
)
from tests.workers import sending_to_own_queue, worker_process

from .conftest import YEAR, confirmed, sgi_input

SGI = IndexKind.SGI


def stored(kind=SGI, year=YEAR) -> list[tuple]:
    return list(EvaluationResult.objects.filter(kind=kind, year=year).order_by("organization_id").values_list(
        "organization_id", "score", "grade", "deferred", "honour", "inputs", "rules", "rule_id", "computed_at"))


@pytest.fixture
def graded(org_a, org_c, record):
    confirmed(record, amount=300_000_000)
    sgi_input(org_a, survey="72", performance="16", deductions="4", fair_trade="88")
    sgi_input(org_c, under_investigation=True)


@pytest.mark.django_db
def test_a_run_records_its_progress_and_each_result_its_inputs_and_rule_versions(graded, org_a):
    run = services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    assert (run.status, run.done, run.total) == (RunStatus.DONE, 2, 2)
    result = EvaluationResult.objects.get(organization=org_a, kind=SGI, year=YEAR)
    rule = IndexRule.objects.get(kind=SGI)
    assert result.rule == rule and result.run == run
    assert result.rules["rule"] == {"id": rule.pk, "version": rule.version, "valid_from": "2020-01-01",
                                    "weights": rule.weights, "cutoffs": rule.cutoffs, "honour_streak": 3}
    assert result.inputs["survey_score"] == "72.000" and result.inputs["weighted_sharing_won"] == 600_000_000


@pytest.mark.django_db
def test_recomputing_twice_stores_the_same_results(graded):
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    first = stored()
    again = services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    assert again.status == RunStatus.DONE
    assert stored() == first  # not even rewritten: computed_at unchanged


@pytest.mark.django_db
def test_a_company_whose_inputs_went_away_loses_its_result_on_recompute(graded, org_c):
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    SgiInput.objects.filter(organization=org_c).delete()
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    assert not EvaluationResult.objects.filter(organization=org_c).exists()


@pytest.mark.django_db
def test_changing_a_rule_does_not_alter_stored_results(graded, org_a):
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    services.evaluation_publish(actor="test", kind=SGI, year=YEAR)
    before = stored()
    rule = IndexRule.objects.get(kind=SGI)
    rule.cutoffs = {"excellent": "80", "good": "70", "fair": "60", "average": "50"}
    rule.weights = {**rule.weights, "fair_trade": "0.2"}
    rule.save()
    assert stored() == before
    with pytest.raises(YearPublished):
        services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    assert stored() == before
    assert EvaluationResult.objects.get(organization=org_a).grade == Grade.GOOD


@pytest.mark.django_db
def test_a_new_rule_version_applies_to_its_own_years_only(graded, org_a):
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    before = stored()
    old = IndexRule.objects.get(kind=SGI)
    IndexRule.objects.filter(pk=old.pk).update(valid_to=date(YEAR, 12, 31))
    IndexRule.objects.create(kind=SGI, version="2027 reform", valid_from=date(YEAR + 1, 1, 1),
                             weights={**old.weights, "comprehensive": "0.6", "fair_trade": "0.4"},
                             cutoffs={"excellent": "80", "good": "70", "fair": "60", "average": "50"})
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    assert stored() == before
    sgi_input(org_a, YEAR + 1, survey="72", performance="16", deductions="4", fair_trade="88")
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR + 1)
    later = EvaluationResult.objects.get(organization=org_a, year=YEAR + 1)
    assert (later.score, later.grade, later.rules["rule"]["version"]) == (Decimal("85.600"), Grade.EXCELLENT,
                                                                         "2027 reform")


@pytest.mark.django_db
def test_only_an_administrator_reopens_a_published_year_and_then_it_is_recomputed(graded, org_a, fund_admin,
                                                                                  auditor):
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    services.evaluation_publish(actor=fund_admin, kind=SGI, year=YEAR)
    IndexRule.objects.filter(kind=SGI).update(cutoffs={"excellent": "85", "good": "70", "fair": "60",
                                                       "average": "50"})
    for who in ("test", auditor):
        with pytest.raises(NotAllowed):
            services.evaluation_reopen(actor=who, kind=SGI, year=YEAR)
    year = services.evaluation_reopen(actor=fund_admin, kind=SGI, year=YEAR)
    assert (year.status, year.reopened_by_label) == (YearStatus.OPEN, fund_admin.username)
    services.evaluation_recompute(actor=fund_admin, kind=SGI, year=YEAR)
    assert EvaluationResult.objects.get(organization=org_a).grade == Grade.EXCELLENT


@pytest.mark.django_db
def test_publishing_needs_results_and_twice_is_once(org_a):
    with pytest.raises(NothingToPublish):
        services.evaluation_publish(actor="test", kind=SGI, year=YEAR)
    sgi_input(org_a)
    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    first = services.evaluation_publish(actor="test", kind=SGI, year=YEAR)
    assert services.evaluation_publish(actor="test", kind=SGI, year=YEAR).published_at == first.published_at


@pytest.mark.django_db
def test_members_and_auditors_may_not_recompute(graded, member_a, auditor):
    for who in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.recompute_request(actor=who, kind=SGI, year=YEAR)
    assert not EvaluationRun.objects.exists()


@pytest.mark.django_db
def test_the_recompute_task_runs_when_the_request_commits(graded, fund_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.recompute_request(actor=fund_admin, kind=SGI, year=YEAR)
    run.refresh_from_db()
    assert (run.status, run.done, run.total, run.actor_label) == (RunStatus.DONE, 2, 2, fund_admin.username)
    assert EvaluationResult.objects.filter(kind=SGI, year=YEAR).count() == 2


@pytest.mark.django_db
def test_the_task_by_year_and_kind_alone_makes_its_own_run_and_is_safe_twice(graded):
    from apps.evaluations.tasks import recompute

    first = recompute.delay(YEAR, SGI).get()
    results = stored()
    second = recompute.delay(YEAR, SGI).get()
    assert first["status"] == second["status"] == RunStatus.DONE and first["run"] != second["run"]
    assert stored() == results
    assert recompute.delay(YEAR, SGI, first["run"]).get() == first  # a finished run is not run again


@pytest.mark.django_db
def test_a_run_that_finds_the_year_published_is_refused(graded):
    from apps.evaluations.tasks import recompute

    services.evaluation_recompute(actor="test", kind=SGI, year=YEAR)
    services.evaluation_publish(actor="test", kind=SGI, year=YEAR)
    run = EvaluationRun.objects.create(kind=SGI, year=YEAR, actor_label="test")
    got = recompute.delay(YEAR, SGI, run.pk).get()
    assert got["status"] == RunStatus.REFUSED and "reopen" in got["error"]


@pytest.mark.django_db
def test_a_run_that_started_first_never_overwrites_the_results_of_one_that_started_later(graded, org_a, monkeypatch):
    """Two recomputations of a year at once: the later one read later inputs, so its results stand."""
    from apps.evaluations import computation

    compute = computation.COMPUTE[SGI]
    first = EvaluationRun.objects.create(kind=SGI, year=YEAR, actor_label="test")

    later = []

    def meanwhile(config, year, chunk):
        results = compute(config, year, chunk)  # the first run has read its inputs
        monkeypatch.setitem(computation.COMPUTE, SGI, compute)
        SgiInput.objects.filter(organization=org_a, year=YEAR).update(survey_score=Decimal("75"))
        assert services.evaluation_recompute(actor="test", kind=SGI, year=YEAR).status == RunStatus.DONE
        later.append(stored())
        return results

    monkeypatch.setitem(computation.COMPUTE, SGI, meanwhile)
    refused = services.run_execute(run_id=first.pk)
    assert refused.status == RunStatus.REFUSED and "started later" in refused.error
    assert stored() == later[0]
    assert EvaluationResult.objects.get(organization=org_a, kind=SGI, year=YEAR).inputs["survey_score"] == "75.000"


@pytest.fixture
def worker():
    """`celery worker` in its own process on the test database, consuming a queue of this test's own."""
    with sending_to_own_queue("evaluations") as app:
        process = worker_process(app.conf.task_default_queue, f"evaluations-{os.getpid()}")
        try:
            yield app
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_the_year_requested_through_the_service(graded, fund_admin, worker):
    run = services.recompute_request(actor=fund_admin, kind=SGI, year=YEAR)
    deadline = time.monotonic() + 90
    while EvaluationRun.objects.get(pk=run.pk).status not in (RunStatus.DONE, RunStatus.FAILED, RunStatus.REFUSED):
        assert time.monotonic() < deadline, "the worker did not finish the run"
        time.sleep(0.1)
    run.refresh_from_db()
    assert (run.status, run.done, run.total) == (RunStatus.DONE, 2, 2)
    assert EvaluationResult.objects.filter(kind=SGI, year=YEAR).count() == 2


@pytest.mark.django_db
def test_the_command_recomputes_a_year_and_says_why_it_refuses(graded):
    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("evaluations_recompute", "sgi", str(YEAR), stdout=out)
    assert out.getvalue().startswith("run ") and "done, 2/2" in out.getvalue()
    services.evaluation_publish(actor="test", kind=SGI, year=YEAR)
    with pytest.raises(CommandError, match="reopen"):
        call_command("evaluations_recompute", "sgi", str(YEAR))
