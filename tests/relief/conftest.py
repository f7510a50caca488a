"""The four funds, company A (a large company that gets sanctioned) and company B (an SME it harmed), with their
finance officers, and helpers that impose a fine, collect it and file a claim through the services."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.relief import services
from apps.relief.models import ViolationType
from tests.funds.conftest import funds  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

D = date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="evidence.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx(name="statement.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def relief(funds):  # noqa: F811
    return funds["relief"]


@pytest.fixture
def impose(relief, org_a, fund_admin):
    """impose(**overrides): a ₩1,000,000,000 fine on company A for technology theft."""
    counter = iter(range(1, 1000))

    def make(**overrides):
        kwargs = {"actor": fund_admin, "organization": org_a, "case_reference": f"2026-기술-{next(counter):04d}",
                  "violation_type": ViolationType.TECHNOLOGY_THEFT, "corrective_order": "기술자료 반환 및 재발 방지",
                  "penalty_points": 5, "decision_date": D, "fine_amount": 1_000_000_000, **overrides}
        return services.sanction_impose(**kwargs)

    return make


@pytest.fixture
def collect(fund_admin):
    """collect(sanction, amount): a payment against the fine, with a fresh idempotency key."""
    counter = iter(range(1, 1000))

    def make(sanction, amount, **overrides):
        kwargs = {"actor": fund_admin, "sanction": sanction, "amount": amount, "paid_on": D,
                  "idempotency_key": f"pay-{next(counter)}", **overrides}
        return services.fine_payment_record(**kwargs)

    return make


@pytest.fixture
def funded(impose, collect):
    """The fund holds ₩1,000,000,000 of collected fines; returns the sanction."""
    sanction = impose()
    collect(sanction, 1_000_000_000)
    return sanction


@pytest.fixture
def file_claim(relief, org_b, member_b):
    """file_claim(**overrides): company B's officer claims ₩300,000,000 with one PDF."""

    def make(**overrides):
        kwargs = {"actor": member_b, "claimant": org_b, "case_reference": "2026-기술-0001",
                  "description": "기술자료 유출로 인한 매출 손실", "amount_claimed": 300_000_000,
                  "documents": [pdf()], **overrides}
        return services.claim_file(**kwargs)

    return make
