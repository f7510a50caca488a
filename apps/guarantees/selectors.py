"""Reads of the win-win finance pool, scoped to who asks, and the figures other rooms build on.

Who sees what: fund administrators and auditors see everything. A member of a contributing organisation sees its
programs, earmarks, transfers and the guarantees its partner SMEs received under its programs; a member of an SME
sees the guarantees that SME received; a member of a guarantee institution's organisation sees that institution's
programs and guarantees; an anonymous user nothing — so another company's record answers 404.

`finance_index_inputs` is what the Win-Win Finance Index (apps.evaluations) reads: keep its name and signature.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.contributions.models import RECEIVED_STATUSES, Contribution
from apps.funds.models import Fund
from apps.organizations.models import Organization
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import (
    POOL_FUND_CODE,
    Earmark,
    Guarantee,
    GuaranteeInstitution,
    GuaranteeProgram,
    GuaranteeStatus,
    GuaranteeTransfer,
    LeverageRule,
)

# Guarantees that were issued (a cancelled one never took effect) and those still outstanding.
ISSUED_STATUSES = (GuaranteeStatus.ACTIVE, GuaranteeStatus.REPAID, GuaranteeStatus.CALLED)
OUTSTANDING_STATUSES = (GuaranteeStatus.ACTIVE,)


# The Win-Win Finance Index's inputs


@dataclass(frozen=True)
class FinanceIndexInputs:
    """One organisation's part in the win-win finance pool in one year, in whole won."""

    contributed_won: int  # confirmed (received) contributions to the wwfp fund dated in the year
    guarantees_won: int  # guarantees issued in the year under programs the organisation funds
    guarantees_count: int
    partner_smes_reached: int  # distinct SMEs that received those guarantees


def finance_index_inputs(organization, year: int) -> FinanceIndexInputs:
    """What the Win-Win Finance Index reads of an organisation's year: cancelled guarantees never took effect and
    do not count; repaid and called ones were issued and do."""
    contributed = (Contribution.objects
                   .filter(organization=organization, fund__code=POOL_FUND_CODE, status__in=RECEIVED_STATUSES,
                           contribution_date__year=year)
                   .aggregate(won=Sum("amount"))["won"])
    guarantees = (Guarantee.objects
                  .filter(program__organization=organization, issue_date__year=year, status__in=ISSUED_STATUSES)
                  .aggregate(won=Sum("amount"), count=Count("pk"), smes=Count("sme", distinct=True)))
    return FinanceIndexInputs(contributed_won=contributed or 0, guarantees_won=guarantees["won"] or 0,
                              guarantees_count=guarantees["count"] or 0,
                              partner_smes_reached=guarantees["smes"] or 0)


# Scoped reads


def _member_orgs(user) -> QuerySet[Organization]:
    return organizations_visible_to(user)


def institutions_visible_to(user) -> QuerySet[GuaranteeInstitution]:
    if not getattr(user, "is_authenticated", False):
        return GuaranteeInstitution.objects.none()
    return GuaranteeInstitution.objects.select_related("organization").all()


def programs_visible_to(user) -> QuerySet[GuaranteeProgram]:
    programs = GuaranteeProgram.objects.select_related("institution", "organization")
    if sees_all_organizations(user):
        return programs.all()
    orgs = _member_orgs(user)
    return programs.filter(Q(organization__in=orgs) | Q(institution__organization__in=orgs))


def earmarks_visible_to(user) -> QuerySet[Earmark]:
    earmarks = Earmark.objects.select_related("contribution", "contribution__organization", "program",
                                              "program__institution")
    if sees_all_organizations(user):
        return earmarks.all()
    return earmarks.filter(program__in=programs_visible_to(user))


def transfers_visible_to(user) -> QuerySet[GuaranteeTransfer]:
    transfers = GuaranteeTransfer.objects.select_related("program", "program__institution", "program__organization")
    if sees_all_organizations(user):
        return transfers.all()
    return transfers.filter(program__in=programs_visible_to(user))


def guarantees_visible_to(user) -> QuerySet[Guarantee]:
    guarantees = Guarantee.objects.select_related("program", "program__institution", "program__organization", "sme")
    if sees_all_organizations(user):
        return guarantees.all()
    orgs = _member_orgs(user)
    return guarantees.filter(Q(program__in=programs_visible_to(user)) | Q(sme__in=orgs))


# Capacity of a program


def leverage_rule_on(program: GuaranteeProgram | int, day: date) -> LeverageRule | None:
    program_id = program.pk if isinstance(program, GuaranteeProgram) else int(program)
    return LeverageRule.objects.valid_on(day).filter(program_id=program_id).order_by("-valid_from").first()


def transferred_to_program(program: GuaranteeProgram | int) -> int:
    return GuaranteeTransfer.objects.filter(program=program).aggregate(won=Sum("amount"))["won"] or 0


def outstanding_of_program(program: GuaranteeProgram | int) -> int:
    return (Guarantee.objects.filter(program=program, status__in=OUTSTANDING_STATUSES)
            .aggregate(won=Sum("amount"))["won"] or 0)


@dataclass(frozen=True)
class ProgramCapacity:
    """How much guarantee a program may still support on a day: transferred × the multiple in force."""

    program_id: int
    day: date
    multiple: Decimal | None  # None when no rule is in force
    transferred: int
    capacity: int
    outstanding: int

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.outstanding, 0)

    @property
    def multiple_text(self) -> str:
        return f"{self.multiple.normalize():f}" if self.multiple is not None else ""


def program_capacity(program: GuaranteeProgram | int, day: date | None = None) -> ProgramCapacity:
    """A program's capacity on a day (today by default). A program read through `with_figures` brings its
    transferred and outstanding sums along, so only the rule in force is read here."""
    day = day or timezone.localdate()
    program_id = program.pk if isinstance(program, GuaranteeProgram) else int(program)
    rule = leverage_rule_on(program_id, day)
    transferred = getattr(program, "transferred_won", None)
    transferred = transferred_to_program(program_id) if transferred is None else transferred
    outstanding = getattr(program, "outstanding_won", None)
    outstanding = outstanding_of_program(program_id) if outstanding is None else outstanding
    return ProgramCapacity(program_id=program_id, day=day, multiple=rule.multiple if rule else None,
                           transferred=transferred, capacity=rule.capacity(transferred) if rule else 0,
                           outstanding=outstanding)


def with_figures(programs: QuerySet[GuaranteeProgram]) -> QuerySet[GuaranteeProgram]:
    """Programs annotated with `transferred_won` and `outstanding_won` (one query for a whole list)."""
    transferred = (GuaranteeTransfer.objects.filter(program=OuterRef("pk")).order_by().values("program")
                   .annotate(won=Sum("amount")).values("won"))
    outstanding = (Guarantee.objects.filter(program=OuterRef("pk"), status__in=OUTSTANDING_STATUSES).order_by()
                   .values("program").annotate(won=Sum("amount")).values("won"))
    return programs.annotate(transferred_won=Coalesce(Subquery(transferred), Value(0)),
                             outstanding_won=Coalesce(Subquery(outstanding), Value(0)))


# Earmarked money a contributor may still transfer to an institution


def earmarked_received(organization_id: int, institution_id: int) -> int:
    """Won of the contributor's received (confirmed or matched) wwfp contributions earmarked for the institution."""
    return (Earmark.objects
            .filter(program__organization_id=organization_id, program__institution_id=institution_id,
                    contribution__status__in=RECEIVED_STATUSES, contribution__fund__code=POOL_FUND_CODE)
            .aggregate(won=Sum("contribution__amount"))["won"] or 0)


def transferred_for(organization_id: int, institution_id: int) -> int:
    return (GuaranteeTransfer.objects
            .filter(program__organization_id=organization_id, program__institution_id=institution_id)
            .aggregate(won=Sum("amount"))["won"] or 0)


# Utilisation of the pool


@dataclass
class Utilisation:
    """One row of the pool's utilisation, in whole won."""

    key: int
    name: str
    contributed: int = 0
    earmarked: int = 0
    transferred: int = 0
    outstanding: int = 0
    capacity: int = 0

    @property
    def leverage_used(self) -> Decimal | None:
        """Outstanding guarantees per transferred won (e.g. 8.2 means 8.2×), to a hundredth; None before any
        transfer."""
        if not self.transferred:
            return None
        return Decimal(self.outstanding * 100 // self.transferred).scaleb(-2)

    @property
    def capacity_used_percent(self) -> Decimal | None:
        if not self.capacity:
            return None
        return Decimal(self.outstanding * 10000 // self.capacity).scaleb(-2)


@dataclass
class PoolUtilisation:
    """`target` and `raised` are the whole pool's (a fund-wide figure every signed-in user may see); `total` and
    the rows only what the user may see."""

    target: int | None
    raised: int
    total: Utilisation
    by_contributor: list[Utilisation]
    by_institution: list[Utilisation]

    @property
    def percent_of_target(self) -> Decimal | None:
        """raised ÷ target in per cent, rounded down to a hundredth."""
        if not self.target:
            return None
        return Decimal(self.raised * 10000 // self.target).scaleb(-2)


def _programs_capacity(programs: list[GuaranteeProgram], day: date) -> dict[int, tuple[int, int, int]]:
    """(transferred, outstanding, capacity) per program id."""
    ids = [p.pk for p in programs]
    transferred = dict(GuaranteeTransfer.objects.filter(program_id__in=ids).values("program_id")
                       .annotate(won=Sum("amount")).order_by().values_list("program_id", "won"))
    outstanding = dict(Guarantee.objects.filter(program_id__in=ids, status__in=OUTSTANDING_STATUSES)
                       .values("program_id").annotate(won=Sum("amount")).order_by()
                       .values_list("program_id", "won"))
    rules = {}
    for rule in LeverageRule.objects.valid_on(day).filter(program_id__in=ids).order_by("valid_from"):
        rules[rule.program_id] = rule
    result = {}
    for pk in ids:
        t, o = transferred.get(pk, 0), outstanding.get(pk, 0)
        result[pk] = (t, o, rules[pk].capacity(t) if pk in rules else 0)
    return result


def pool_utilisation(user=None, *, day: date | None = None) -> PoolUtilisation:
    """The pool against its target (Fund.target_amount of wwfp), per contributor and per institution: received
    wwfp contributions, the part earmarked, transferred, guarantees outstanding and the capacity they draw on.
    Scoped to what `user` may see (None: everything, for tasks and the back office)."""
    day = day or timezone.localdate()
    fund = Fund.objects.filter(code=POOL_FUND_CODE).first()
    programs = list(GuaranteeProgram.objects.select_related("institution", "organization")
                    if user is None else programs_visible_to(user))
    orgs = (Organization.objects.all() if user is None or sees_all_organizations(user)
            else organizations_visible_to(user))
    contributions = Contribution.objects.filter(fund__code=POOL_FUND_CODE, status__in=RECEIVED_STATUSES,
                                                organization__in=orgs)
    contributed = dict(contributions.values("organization_id").annotate(won=Sum("amount")).order_by()
                       .values_list("organization_id", "won"))
    earmarked: dict[int, int] = defaultdict(int)
    received_earmarks = Earmark.objects.filter(program__in=[p.pk for p in programs],
                                               contribution__fund__code=POOL_FUND_CODE,
                                               contribution__status__in=RECEIVED_STATUSES)
    for program_id, won in (received_earmarks.values("program_id").annotate(won=Sum("contribution__amount"))
                            .order_by().values_list("program_id", "won")):
        earmarked[program_id] = won
    figures = _programs_capacity(programs, day)
    names = dict(Organization.objects.filter(pk__in=set(contributed) | {p.organization_id for p in programs})
                 .values_list("pk", "name_ko"))
    by_org: dict[int, Utilisation] = {pk: Utilisation(pk, names.get(pk, ""), contributed=won)
                                      for pk, won in contributed.items()}
    by_inst: dict[int, Utilisation] = {}
    for program in programs:
        t, o, c = figures[program.pk]
        for bucket, key, name in ((by_org, program.organization_id, names.get(program.organization_id, "")),
                                  (by_inst, program.institution_id, program.institution.name_ko)):
            row = bucket.setdefault(key, Utilisation(key, name))
            row.earmarked += earmarked[program.pk]
            row.transferred += t
            row.outstanding += o
            row.capacity += c
    total = Utilisation(0, "", contributed=sum(contributed.values()))
    for row in by_inst.values():
        total.earmarked += row.earmarked
        total.transferred += row.transferred
        total.outstanding += row.outstanding
        total.capacity += row.capacity
    raised = (Contribution.objects.filter(fund__code=POOL_FUND_CODE, status__in=RECEIVED_STATUSES)
              .aggregate(won=Sum("amount"))["won"] or 0)
    return PoolUtilisation(target=fund.target_amount if fund else None, raised=raised, total=total,
                           by_contributor=sorted(by_org.values(), key=lambda r: r.name),
                           by_institution=sorted(by_inst.values(), key=lambda r: r.key))
