"""The recycling tasks as Celery runs them (eagerly here; on real workers in test_concurrency), the monthly beat
entry, and the rule configuration the tasks read."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.exportfinance.models import ProfitReport, ProfitShare, RecyclingRule
from apps.exportfinance.tasks import TASK_ACTOR, recycle_report, recycle_sweep

from .conftest import report


def test_the_monthly_beat_runs_the_sweep_task():
    from config.celery import app

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "exportfinance.recycle_sweep")
    assert entry["task"] in app.tasks and recycle_sweep.name == entry["task"]


@pytest.mark.django_db
def test_a_report_is_recycled_by_its_task_when_it_commits(sef, project, rule, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filed = report(project, 2_000_000)
    share = ProfitShare.objects.get()
    assert (share.report_id, share.amount_due, share.assessed_by) == (filed.pk, 200_000, TASK_ACTOR)
    assert recycle_report.delay(filed.pk).get() == share.pk  # a retried task finds it done


@pytest.mark.django_db
def test_the_sweep_task_and_command_pick_up_what_was_missed(sef, project, rule):
    report(project, 2_000_000)
    assert recycle_sweep.delay().get() == {"assessed": 1, "failed": 0}
    report(project, 1_000_000, period="H2")
    call_command("recycle_sweep")
    assert ProfitShare.objects.count() == 2


@pytest.mark.django_db
def test_a_task_without_a_rule_in_force_leaves_the_report_for_later(sef, project):
    RecyclingRule.objects.update(valid_from=date(2026, 1, 1))
    assert recycle_report.delay(report(project, 1_000).pk).get() is None
    assert not ProfitShare.objects.exists()


@pytest.mark.django_db
def test_the_seeded_rule_is_ten_per_cent_of_operating_profit_half_to_wwcf(funds):
    from django.apps import apps

    seeding = import_module("apps.exportfinance.migrations.0002_seed_recycling_rule")
    seeding.seed(apps, None)  # a no-op after the migration; again after a transactional test's flush
    seeding.seed(apps, None)
    rule = RecyclingRule.objects.get()
    assert (rule.rate, rule.base, rule.due_days, rule.channel_share, rule.destination_fund, rule.valid_from) == (
        Decimal("0.10"), "operating_profit", 90, Decimal("0.5"), "wwcf", date(2026, 1, 1))


@pytest.mark.django_db
def test_an_overlapping_rule_or_an_unknown_destination_is_refused(funds, rule):
    overlapping = RecyclingRule(rate=Decimal("0.2"), due_days=30, channel_share=1, valid_from=date(2027, 1, 1))
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "valid_from" in refused.value.message_dict
    unknown = RecyclingRule(rate=Decimal("0.2"), due_days=30, channel_share=1, destination_fund="nowhere",
                            valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31))
    with pytest.raises(ValidationError) as refused:
        unknown.full_clean()
    assert "destination_fund" in refused.value.message_dict


@pytest.mark.django_db
def test_a_report_the_ledger_refuses_does_not_hold_back_the_others(sef, project, rule, fund_admin):
    from datetime import UTC, datetime

    from apps.funds import chart
    from apps.funds.selectors import fund_account
    from apps.ledger import services as ledger

    late = report(project, 1_000_000)
    ProfitReport.objects.filter(pk=late.pk).update(created_at=datetime(2025, 8, 1, 3, tzinfo=UTC))
    ledger.period_close(actor=fund_admin, ledger=sef.ledger, year=2025,
                        net_assets_account=fund_account(sef, chart.UNRESTRICTED_NET_ASSETS))
    report(project, 2_000_000, period="H2")  # filed today, in an open year
    assert recycle_sweep.delay().get() == {"assessed": 1, "failed": 1}
    assert recycle_report.delay(late.pk).get() is None  # refused, left for an administrator
    assert list(ProfitShare.objects.values_list("period", flat=True)) == ["H2"]
