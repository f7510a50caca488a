"""Demo data of the relief room: four fictional companies sanctioned in 2026 (fines paid, partly paid, unpaid,
waived), and SMEs among the demo organisations claiming relief (paid, approved, waiting for an answer, rejected,
in review), each claim with a small generated PDF.

Idempotent: the sanctioned companies are found by their registration numbers, every sanction, payment and claim
carries an idempotency key, and each claim's review steps are applied only while its history is that far along,
so a second run creates nothing and moves no money. Everything goes through `apps.relief.services`.

Portal logins: `daehan_officer` / `daehan-demo-2026` (Daehan Precision, a claimant) and `geumgang_officer` /
`geumgang-demo-2026` (Geumgang Construction, a sanctioned company).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.demo import demo_brn
from apps.organizations.models import Membership, MembershipRole, Organization, SizeClass
from apps.organizations.services import membership_add, organization_create

from . import services
from .models import Claim, ViolationType

KEY = "demo-2026:relief"
EOK = 10**8  # 억 won


@dataclass(frozen=True)
class DemoFirm:
    slug: str
    name_ko: str
    name_en: str
    number: int  # its demo registration number is demo_brn(number)


SANCTIONED = (
    DemoFirm("geumgang-construction", "금강건설", "Geumgang Construction", 701),
    DemoFirm("hanseong-logistics", "한성물류", "Hanseong Logistics", 702),
    DemoFirm("seorim-distribution", "서림유통", "Seorim Distribution", 703),
    DemoFirm("baekdu-platform", "백두플랫폼", "Baekdu Platform", 704),
)
# (firm, case number, violation, corrective order, points, decision date, fine, payments [(won, date)], waived)
SANCTIONS = (
    ("geumgang-construction", "2026-기술-0003", ViolationType.TECHNOLOGY_THEFT,
     "하도급업체 기술자료 반환 및 파기, 임직원 기술보호 교육 실시", 8, date(2026, 2, 10), 30 * EOK,
     ((15 * EOK, date(2026, 3, 12)), (15 * EOK, date(2026, 4, 10))), False),
    ("hanseong-logistics", "2026-하도-0017", ViolationType.UNFAIR_PRICE_CUT,
     "부당 감액분 지급 및 재발 방지", 5, date(2026, 4, 2), 8 * EOK, ((3 * EOK, date(2026, 5, 20)),), False),
    ("seorim-distribution", "2026-하도-0031", ViolationType.LATE_PAYMENT,
     "지연 이자 지급", 2, date(2026, 7, 15), 15 * 10**7, (), False),
    ("baekdu-platform", "2026-플랫폼-0005", ViolationType.PLATFORM_ABUSE,
     "입점업체 불이익 제공 행위 중지", 6, date(2026, 5, 8), 12 * EOK, ((2 * EOK, date(2026, 6, 30)),), True),
    ("geumgang-construction", "2026-기술-0019", ViolationType.UNFAIR_TRADE,
     "부당한 기술자료 요구 행위 중지 (시정명령만)", 3, date(2026, 9, 1), 0, (), False),
)
# (claimant slug, case number, description, claimed, review steps)
CLAIMS = (
    ("daehan-precision", "2026-기술-0003", "금강건설의 기술자료 유용으로 인한 납품 중단 및 매출 손실",
     9 * EOK, (("approve", 7 * EOK), ("pay", None))),
    ("hanbit-semitech", "2026-기술-0003", "설계 도면 유출로 인한 재설계 비용", 4 * EOK, (("approve", 4 * EOK),)),
    ("mirae-mobility-parts", "2026-하도-0017", "부당 감액으로 인한 손실", 25 * 10**7,
     (("request_info", "감액 전후 단가 계약서와 세금계산서를 제출해 주세요."),)),
    ("cheongun-metal", "2026-하도-0031", "대금 지급 지연에 따른 이자 손실", 12 * 10**7,
     (("reject", "지연 이자는 시정명령에 따라 이미 지급되어 구제 대상이 아닙니다."),)),
    ("saesol-electronics", "2026-하도-0017", "부당 감액 및 물량 축소로 인한 손실", 3 * EOK, ()),
)
REVIEWED_ON = date(2026, 11, 23)
PAID_ON = date(2026, 11, 25)
LOGINS = {"daehan-precision": ("daehan_officer", "daehan-demo-2026"),
          "geumgang-construction": ("geumgang_officer", "geumgang-demo-2026")}


# Printed by load_demo with the other logins.
PORTAL_LOGINS = (("geumgang_officer", "geumgang-demo-2026", "금강건설 재무 담당자 (제재·과징금 대상)",
                  "Geumgang Construction finance officer (sanctioned, owes a fine)"),)  # noqa: S105


def ensure_demo(context) -> None:
    services.role_permissions_grant()
    actor = context.actor
    firms = {firm.slug: _firm(actor, firm) for firm in SANCTIONED}
    for n, (slug, case, violation, order, points, day, fine, payments, waived) in enumerate(SANCTIONS, 1):
        sanction = services.sanction_impose(
            actor=actor, organization=firms[slug], case_reference=case, violation_type=violation,
            corrective_order=order, penalty_points=points, decision_date=day, fine_amount=fine,
            idempotency_key=f"{KEY}:sanction:{n}")
        for m, (won, paid_on) in enumerate(payments, 1):
            services.fine_payment_record(actor=actor, sanction=sanction, amount=won, paid_on=paid_on,
                                         idempotency_key=f"{KEY}:sanction:{n}:payment:{m}")
        if waived and sanction.waived_at is None:
            services.sanction_waive(actor=actor, sanction=sanction, reason="회생절차 개시에 따른 잔액 면제",
                                    effective_date=date(2026, 10, 5))
    _officer(actor, firms["geumgang-construction"], "geumgang-construction")
    for n, (slug, case, description, claimed, steps) in enumerate(CLAIMS, 1):
        organization = context.organizations[slug]
        officer = _officer(actor, organization, slug)
        claim = services.claim_file(
            actor=officer, claimant=organization, case_reference=case, description=description,
            amount_claimed=claimed, idempotency_key=f"{KEY}:claim:{n}",
            documents=[SimpleUploadedFile(f"relief-claim-{n}.pdf", demo_pdf(f"Relief claim {n}: evidence"))])
        _review(actor, claim, steps)


def _firm(actor, firm: DemoFirm) -> Organization:
    number = demo_brn(firm.number)
    found = Organization.objects.filter(business_registration_number=number).first()
    return found or organization_create(actor=actor, name_ko=firm.name_ko, name_en=firm.name_en,
                                        business_registration_number=number, size_class=SizeClass.LARGE)


def _officer(actor, organization: Organization, slug: str):
    """A finance officer of the organisation: the portal login for the two named above, a login-less user for
    the others (the demo's claims must be filed by someone who may file them)."""
    username, password = LOGINS.get(slug, (f"relief_{slug.replace('-', '_')}", None))
    user, created = get_user_model().objects.get_or_create(username=username)
    if created or (password and not user.check_password(password)):
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, organization=organization).exists():
        membership_add(actor=actor, user=user, organization=organization, role=MembershipRole.FINANCE_OFFICER)
    return user


def _review(actor, claim: Claim, steps) -> None:
    """Apply the steps not yet in the claim's history (the filing is its first event)."""
    for done, (step, value) in enumerate(steps, 1):
        if claim.events.count() != done:
            continue
        if step == "approve":
            claim = services.claim_approve(actor=actor, claim=claim, amount=value, effective_date=REVIEWED_ON)
        elif step == "pay":
            claim = services.claim_pay(actor=actor, claim=claim, paid_on=PAID_ON)
        elif step == "request_info":
            claim = services.claim_request_info(actor=actor, claim=claim, message=value)
        elif step == "reject":
            claim = services.claim_reject(actor=actor, claim=claim, reason=value)


def demo_pdf(title: str) -> bytes:
    """A one-page PDF saying `title` (ASCII), with a correct cross-reference table."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
