"""The beneficiaries' pages: their projects and shares, the profit-report form with field errors, CSRF and one
report per submitted form, and 404 for another company's project."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.exportfinance import services
from apps.exportfinance.models import ProfitReport, ProfitShare

from .conftest import make_project, report


@pytest.fixture
def projects(sef, org_a, org_b, rule):
    a, b = make_project(org_a, name="LNG 운반선 A"), make_project(org_b, name="원전 설비 B")
    services.disbursement_post(actor="test", project=a, amount=30_000_000_000, effective_date=a.start_date,
                               idempotency_key="a1")
    services.profit_share_assess(actor="test", report=report(a, 1_000_000_000))
    return a, b


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_member_sees_their_projects_and_the_shares_due(client, projects, viewer_a):
    page = as_user(client, viewer_a).get(reverse("exportfinance:projects"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "LNG 운반선 A" in text and "원전 설비 B" not in text
    assert "300억 원" in text  # disbursed and outstanding
    assert "1억 원" in text  # the 2025 H1 share: 10 % of ₩10억
    assert "수출 프로젝트" in text and "납부할 성과공유 환원금" in text  # Korean first


@pytest.mark.django_db
def test_another_companys_project_answers_404(client, projects, member_a):
    _a, b = projects
    signed_in = as_user(client, member_a)
    assert signed_in.get(reverse("exportfinance:project", args=[b.pk])).status_code == 404
    assert signed_in.get(reverse("exportfinance:report_new", args=[b.pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, projects):
    assert client.get(reverse("exportfinance:projects")).status_code == 302


@pytest.mark.django_db
def test_a_viewer_sees_the_project_but_cannot_file_a_report(client, projects, viewer_a):
    a, _b = projects
    signed_in = as_user(client, viewer_a)
    page = signed_in.get(reverse("exportfinance:project", args=[a.pk])).content.decode()
    assert "LNG 운반선 A" in page and reverse("exportfinance:report_new", args=[a.pk]) not in page
    assert signed_in.get(reverse("exportfinance:report_new", args=[a.pk])).status_code == 404


def form_data(**change):
    return {"year": "2025", "period": "H2", "operating_profit": "2,000,000,000", "net_profit": "-1,000",
            "reason": "", "idempotency_key": "form-1", **change}


@pytest.mark.django_db
def test_a_finance_officer_files_a_report_once_even_when_the_form_is_sent_twice(
        client, projects, member_a, django_capture_on_commit_callbacks):
    a, _b = projects
    signed_in = as_user(client, member_a)
    url = reverse("exportfinance:report_new", args=[a.pk])
    assert 'name="idempotency_key"' in signed_in.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_in.post(url, form_data())
        again = signed_in.post(url, form_data())
    assert first.status_code == again.status_code == 302
    assert ProfitReport.objects.filter(project=a, period="H2").count() == 1
    assert ProfitShare.objects.get(project=a, period="H2").amount_due == 200_000_000
    page = signed_in.get(reverse("exportfinance:project", args=[a.pk])).content.decode()
    assert "2억 원" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"operating_profit": "12.5"}, "operating_profit"), ({"year": "abc"}, "year"), ({"period": "H9"}, "period"),
    ({"period": "H1"}, "reason"),  # 2025 H1 is already reported: a correction needs a reason
])
def test_a_bad_report_is_shown_again_with_the_error_beside_the_field(client, projects, member_a, change, field):
    a, _b = projects
    page = as_user(client, member_a).post(reverse("exportfinance:report_new", args=[a.pk]), form_data(**change))
    assert page.status_code in (400, 409)
    assert f'id="id_{field}_error"' in page.content.decode()


@pytest.mark.django_db
def test_the_report_form_needs_the_csrf_token(projects, member_a):
    a, _b = projects
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member_a)
    answer = strict.post(reverse("exportfinance:report_new", args=[a.pk]), form_data())
    assert answer.status_code == 403
    assert not ProfitReport.objects.filter(period="H2").exists()
