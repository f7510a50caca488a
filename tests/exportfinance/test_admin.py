"""The back office: administrators see the projects with committed, disbursed and outstanding, record movements and
receipts; auditors view every list and change nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.exportfinance import services
from apps.exportfinance.models import Disbursement, ProfitShare, ShareStatus
from apps.funds import chart

from .conftest import balance, make_project, report

MODELS = ("exportproject", "disbursement", "repayment", "profitreport", "profitshare", "recyclingrule")


@pytest.fixture
def staff(fund_admin, auditor):
    services.role_permissions_grant()
    return fund_admin, auditor


@pytest.fixture
def project_with_share(sef, org_a, rule):
    project = make_project(org_a)
    services.disbursement_post(actor="test", project=project, amount=7_000, effective_date=project.start_date,
                               idempotency_key="d")
    share = services.profit_share_assess(actor="test", report=report(project, 1_000_000))
    return project, share


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_administrators_and_auditors_see_every_list(client, staff, project_with_share, model):
    for user in staff:
        client.force_login(user)
        assert client.get(reverse(f"admin:exportfinance_{model}_changelist"), {"q": "LNG"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS)
def test_auditors_cannot_add(client, staff, project_with_share, model):
    client.force_login(staff[1])
    assert client.get(reverse(f"admin:exportfinance_{model}_add")).status_code == 403


@pytest.mark.django_db
def test_the_project_list_shows_committed_disbursed_and_outstanding(client, staff, project_with_share):
    client.force_login(staff[0])
    page = client.get(reverse("admin:exportfinance_exportproject_changelist")).content.decode()
    assert "100,000,000,000원" in page and "7,000원" in page


@pytest.mark.django_db
def test_an_administrator_records_a_disbursement_in_the_back_office(client, staff, project_with_share, sef):
    project, _share = project_with_share
    client.force_login(staff[0])
    url = reverse("admin:exportfinance_disbursement_add")
    body = {"project": project.pk, "amount": "3000", "effective_date": "2025-02-03", "memo": "",
            "form_key": "admin:form-1"}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # the same form sent twice
    assert Disbursement.objects.filter(project=project).count() == 2  # the fixture's and this one
    assert balance(sef, chart.LOANS_RECEIVABLE) == 10_000
    over = client.post(url, {**body, "amount": str(project.committed), "form_key": "admin:form-2"})
    assert over.status_code == 200 and "집행할 수 있는 금액은" in over.content.decode()  # refused beside the field


@pytest.mark.django_db
def test_the_receipt_action_receives_and_channels(client, staff, project_with_share, wwcf):
    _project, share = project_with_share
    url = reverse("admin:exportfinance_profitshare_changelist")
    client.force_login(staff[1])
    client.post(url, {"action": "record_receipt", "_selected_action": [share.pk]})
    assert ProfitShare.objects.get().status == ShareStatus.DUE  # auditors cannot
    client.force_login(staff[0])
    client.post(url, {"action": "record_receipt", "_selected_action": [share.pk]})
    share.refresh_from_db()
    assert (share.status, share.channelled) == (ShareStatus.CHANNELLED, 50_000)
    assert balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == 50_000
    client.post(url, {"action": "settle_in_cash", "_selected_action": [share.pk]})
    share.refresh_from_db()
    assert share.settled_on is not None and balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == 0


@pytest.mark.django_db
def test_the_back_office_refuses_to_complete_a_project_with_money_outstanding(client, staff, project_with_share):
    project, _share = project_with_share
    client.force_login(staff[0])
    url = reverse("admin:exportfinance_exportproject_change", args=[project.pk])
    form = {"beneficiary": project.beneficiary_id, "name": project.name, "financing_type": project.financing_type,
            "committed": str(project.committed), "term_months": str(project.term_months),
            "start_date": project.start_date.isoformat(), "status": "completed"}
    page = client.post(url, form)
    assert page.status_code == 200
    assert "7,000원이 미상환" in page.content.decode()
    project.refresh_from_db()
    assert project.status == "active"


@pytest.mark.django_db
def test_auditors_cannot_change_a_project_or_a_rule(client, staff, project_with_share, rule):
    project, _share = project_with_share
    client.force_login(staff[1])
    url = reverse("admin:exportfinance_exportproject_change", args=[project.pk])
    assert client.get(url).status_code == 200  # they may look
    client.post(url, {"name": "changed", "committed": "1"})
    project.refresh_from_db()
    assert project.name != "changed" and project.committed == 100_000_000_000
    rule_url = reverse("admin:exportfinance_recyclingrule_change", args=[rule.pk])
    client.post(rule_url, {"rate": "0.9", "base": "operating_profit", "due_days": "1", "channel_share": "1",
                           "destination_fund": "wwcf", "valid_from": "2020-01-01"})
    rule.refresh_from_db()
    assert rule.rate == Decimal("0.1")


@pytest.mark.django_db
def test_an_administrator_opens_a_project_and_files_a_report_for_the_beneficiary(client, staff, sef, org_b, rule,
                                                                                django_capture_on_commit_callbacks):
    from apps.exportfinance.models import ExportProject, ProfitReport

    client.force_login(staff[0])
    added = client.post(reverse("admin:exportfinance_exportproject_add"), {
        "beneficiary": org_b.pk, "name": "해상풍력 수출", "financing_type": "investment", "committed": "900000000",
        "term_months": "48", "start_date": "2025-01-02"})
    assert added.status_code == 302
    project = ExportProject.objects.get(name="해상풍력 수출")
    assert (project.fund.code, project.created_by) == ("sef", "admin1")
    body = {"project": project.pk, "year": "2025", "period": "FY", "operating_profit": "5000000",
            "net_profit": "4000000", "reason": "", "form_key": "admin:report-1"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("admin:exportfinance_profitreport_add"), body).status_code == 302
        assert client.post(reverse("admin:exportfinance_profitreport_add"), body).status_code == 302  # sent twice
    assert ProfitReport.objects.filter(project=project).count() == 1
    assert ProfitShare.objects.get(project=project).amount_due == 500_000
    again = client.post(reverse("admin:exportfinance_profitreport_add"), {**body, "form_key": "admin:report-2"})
    assert again.status_code == 200 and "정정 사유" in again.content.decode()  # a correction needs a reason
    with django_capture_on_commit_callbacks(execute=True):
        fixed = client.post(reverse("admin:exportfinance_profitreport_add"),
                            {**body, "form_key": "admin:report-3", "operating_profit": "6000000", "reason": "감사"})
    assert fixed.status_code == 302
    assert ProfitShare.objects.get(project=project).amount_due == 600_000
