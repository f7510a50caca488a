"""The back office: administrators see and edit the configuration and inputs, confirm records, request runs,
publish and reopen years; auditors see everything and change nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.evaluations import services
from apps.evaluations.models import EvaluationRun, EvaluationYear, IndexRule, RecordStatus, RunStatus, YearStatus

from .conftest import YEAR, sgi_input

pytestmark = pytest.mark.django_db
MODELS = ("sharingrecord", "sgiinput", "defenceinput", "evaluationresult", "evaluationyear", "evaluationrun",
          "indexrule", "sharingmethodweight", "contributionpointband")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def computed(org_a, record):
    services.record_confirm(actor="test", record=record())
    sgi_input(org_a)
    services.evaluation_recompute(actor="test", kind="sgi", year=YEAR)


@pytest.mark.parametrize("who", ["fund_admin", "auditor"])
def test_administrators_and_auditors_see_every_evaluation_page(computed, who, request):
    client = signed_in(request.getfixturevalue(who))
    for model in MODELS:
        assert client.get(reverse(f"admin:evaluations_{model}_changelist")).status_code == 200, model
    filtered = client.get(reverse("admin:evaluations_evaluationresult_changelist"),
                          {"year": YEAR, "kind": "sgi", "grade__exact": "good"})
    assert filtered.status_code == 200


def test_an_auditor_changes_nothing(computed, auditor):
    client = signed_in(auditor)
    rule = IndexRule.objects.get(kind="sgi")
    assert client.get(reverse("admin:evaluations_evaluationrun_add")).status_code == 403
    assert client.post(reverse("admin:evaluations_indexrule_change", args=[rule.pk]),
                       {"version": "x"}).status_code == 403
    assert client.get(reverse("admin:evaluations_sgiinput_add")).status_code == 403


def test_an_administrator_confirms_records_with_the_action(fund_admin, record):
    made = record()
    answer = signed_in(fund_admin).post(reverse("admin:evaluations_sharingrecord_changelist"),
                                        {"action": "confirm_records", "_selected_action": [made.pk]})
    assert answer.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.confirmed_by_label) == (RecordStatus.CONFIRMED, fund_admin.username)


def test_an_administrator_rejects_records_saying_why(fund_admin, record):
    made = record()
    client = signed_in(fund_admin)
    url = reverse("admin:evaluations_sharingrecord_changelist")
    asked = client.post(url, {"action": "reject_records", "_selected_action": [made.pk]})
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    client.post(url, {"action": "reject_records", "_selected_action": [made.pk], "apply": "yes",
                      "reason": "증빙 불충분"})
    made.refresh_from_db()
    assert (made.status, made.reason) == (RecordStatus.REJECTED, "증빙 불충분")


def test_adding_a_run_requests_a_recomputation(fund_admin, org_a, django_capture_on_commit_callbacks):
    sgi_input(org_a)
    client = signed_in(fund_admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("admin:evaluations_evaluationrun_add"), {"kind": "sgi", "year": YEAR})
    assert answer.status_code == 302
    run = EvaluationRun.objects.get()
    assert (run.status, run.done, run.actor_label) == (RunStatus.DONE, 1, fund_admin.username)
    refused = client.post(reverse("admin:evaluations_evaluationrun_add"), {"kind": "wfi", "year": 2024})
    assert refused.status_code == 200 and EvaluationRun.objects.count() == 1


def test_an_administrator_publishes_and_reopens_years(computed, fund_admin):
    year = EvaluationYear.objects.get(kind="sgi", year=YEAR)
    client = signed_in(fund_admin)
    url = reverse("admin:evaluations_evaluationyear_changelist")
    client.post(url, {"action": "publish", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert year.status == YearStatus.PUBLISHED
    client.post(url, {"action": "reopen", "_selected_action": [year.pk]})
    year.refresh_from_db()
    assert year.status == YearStatus.OPEN


def test_an_overlapping_rule_version_is_refused(fund_admin):
    rule = IndexRule.objects.get(kind="sgi")
    answer = signed_in(fund_admin).post(reverse("admin:evaluations_indexrule_add"), {
        "kind": "sgi", "version": "overlap", "valid_from": "2025-01-01", "weights": '{"survey": "1"}',
        "cutoffs": '{"excellent": "90"}', "honour_streak": 3, "description": ""})
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert {"valid_from", "weights", "cutoffs"} <= set(errors)
    assert IndexRule.objects.filter(kind="sgi").get() == rule
