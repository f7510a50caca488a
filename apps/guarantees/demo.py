"""Demo data of the win-win finance pool: KB, Shinhan and IBK each fund a partner-SME program at one guarantee
institution (KODIT 12.5×, KIBO 10×, K-SURE 8×), earmark their received wwfp contributions of January to September
for it, and transfer part of that money in April and September; KODIT then guarantees KB's partner SME a dozen
times (the other two have no partner SMEs in the demo, so they get no guarantees). Idempotent: rows are found by
their natural keys and every write carries an idempotency key, so a second run adds nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apps.contributions.models import RECEIVED_STATUSES, Contribution

from . import selectors, services
from .models import POOL_FUND_CODE, Guarantee, GuaranteeInstitution, GuaranteeProgram, GuaranteeStatus, LeverageRule

YEAR = 2026
BILLION = 10**8  # 억
EARMARK_UNTIL = date(YEAR, 9, 30)  # later contributions stay unearmarked: the portal's form has something to do
PROGRAMS = (  # contributor slug, institution code, program name, leverage multiple
    ("kb-financial", "kodit", "KB 협력사 동반성장 특례보증", "12.5"),
    ("shinhan-financial", "kibo", "신한 기술혁신 협력기업 보증", "10"),
    ("ibk", "ksure", "IBK 수출 협력사 무역보험", "8"),
)
TRANSFERS = ((date(YEAR, 4, 1), 40), (date(YEAR, 9, 1), 20))  # day, per cent of the earmarked money received
GUARANTEES = (  # amount in 억, term in months, issue date
    (30, 12, date(YEAR, 4, 15)), (25, 24, date(YEAR, 4, 28)), (50, 36, date(YEAR, 5, 12)),
    (40, 12, date(YEAR, 5, 26)), (20, 18, date(YEAR, 6, 9)), (35, 24, date(YEAR, 6, 23)),
    (60, 36, date(YEAR, 7, 7)), (45, 12, date(YEAR, 7, 21)), (15, 6, date(YEAR, 8, 4)),
    (55, 24, date(YEAR, 9, 8)), (28, 12, date(YEAR, 9, 22)), (32, 36, date(YEAR, 10, 6)),
)
ENDED = {2: GuaranteeStatus.REPAID, 8: GuaranteeStatus.REPAID, 4: GuaranteeStatus.CANCELLED}  # by index


def ensure_demo(context) -> None:
    services.institutions_setup()
    for slug, institution_code, name, multiple in PROGRAMS:
        organization = context.organizations.get(slug)
        if organization is None:
            continue
        program = _program(organization, institution_code, name, multiple)
        _earmarks(context.officers.get(slug, context.actor), organization, program)
        _transfers(context.actor, slug, program)
        partners = list(organization.partner_smes.order_by("pk"))
        if partners:
            _guarantees(context.actor, slug, program, partners)


def _program(organization, institution_code: str, name: str, multiple: str) -> GuaranteeProgram:
    institution = GuaranteeInstitution.objects.get(code=institution_code)
    program, _ = GuaranteeProgram.objects.get_or_create(
        institution=institution, organization=organization, name=name,
        defaults={"description": "상생금융 협력사 연계 보증 · Partner-SME linked guarantees"})
    LeverageRule.objects.get_or_create(program=program, valid_from=date(YEAR, 1, 1),
                                       defaults={"multiple": Decimal(multiple)})
    return program


def _earmarks(actor, organization, program: GuaranteeProgram) -> None:
    contributions = (Contribution.objects.filter(organization=organization, fund__code=POOL_FUND_CODE,
                                                 status__in=RECEIVED_STATUSES, contribution_date__lte=EARMARK_UNTIL,
                                                 guarantee_earmark__isnull=True).order_by("pk"))
    for contribution in contributions:
        services.earmark_create(actor=actor, contribution=contribution, program=program,
                                idempotency_key=f"demo-{YEAR}:earmark:{contribution.pk}")


def _transfers(actor, slug: str, program: GuaranteeProgram) -> None:
    earmarked = selectors.earmarked_received(program.organization_id, program.institution_id)
    for n, (day, percent) in enumerate(TRANSFERS, start=1):
        key = f"demo-{YEAR}:guarantee-transfer:{slug}:{n}"
        if program.transfers.filter(idempotency_key=key).exists():
            continue
        amount = earmarked * percent // 100 // BILLION * BILLION
        if amount:
            services.transfer_create(actor=actor, program=program, amount=amount, transfer_date=day,
                                     memo=f"{program.institution.name_ko} 출연 {n}차", idempotency_key=key)


def _guarantees(actor, slug: str, program: GuaranteeProgram, partners: list) -> None:
    for n, (hundred_millions, term, day) in enumerate(GUARANTEES):
        key = f"demo-{YEAR}:guarantee:{slug}:{n + 1:02d}"
        guarantee = Guarantee.objects.filter(idempotency_key=key).first()
        if guarantee is None:
            amount = hundred_millions * BILLION
            if selectors.program_capacity(program, day).remaining < amount:
                continue  # less money transferred than the demo expects: record only what fits
            guarantee = services.guarantee_issue(actor=actor, program=program, sme=partners[n % len(partners)],
                                                 amount=amount, term_months=term, issue_date=day,
                                                 idempotency_key=key)
        ended = ENDED.get(n)
        if ended and guarantee.status == GuaranteeStatus.ACTIVE:
            services.guarantee_status_change(actor=actor, guarantee=guarantee, to_status=ended,
                                             reason="데모 · demo")
