"""Reads of the grants: who sees which projects, awards and tranches, the rules in force, and the room left under
each cap.

Fund administrators and auditors see everything; a member of a company sees the projects it leads or takes part
in, the awards of the projects it leads and the awards it received, and an anonymous user nothing — so another
company's project or award answers 404 whatever id is typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext

from apps.core.dates import add_months
from apps.organizations.models import Organization, SizeClass
from apps.organizations.selectors import (
    organizations_submittable_by,
    organizations_visible_to,
    sees_all_organizations,
)

from .models import (
    Award,
    AwardStatus,
    CapWindow,
    CountryScope,
    ExpansionProject,
    GrantCapRule,
    GrantShareRule,
    Participation,
    Tranche,
)

# Visibility


def projects_visible_to(user) -> QuerySet[ExpansionProject]:
    projects = ExpansionProject.objects.select_related("lead", "fund")
    if sees_all_organizations(user):
        return projects.all()
    mine = organizations_visible_to(user)
    taking_part = Participation.objects.filter(sme__in=mine).values("project_id")
    return projects.filter(Q(lead__in=mine) | Q(pk__in=taking_part))


def awards_visible_to(user) -> QuerySet[Award]:
    awards = Award.objects.select_related("project", "project__lead", "sme")
    if sees_all_organizations(user):
        return awards.all()
    mine = organizations_visible_to(user)
    return awards.filter(Q(sme__in=mine) | Q(project__lead__in=mine))


def tranches_visible_to(user) -> QuerySet[Tranche]:
    return Tranche.objects.select_related("award", "award__sme").filter(award__in=awards_visible_to(user))


def proposable_leads(user) -> QuerySet[Organization]:
    """The large companies this user is a finance officer of, while they are active."""
    return organizations_submittable_by(user).filter(size_class=SizeClass.LARGE)


# Rules in force


def cap_rule_on(scope: str, day: date) -> GrantCapRule | None:
    return GrantCapRule.objects.valid_on(day).filter(scope=scope).order_by("-valid_from").first()


def share_rule_on(day: date) -> GrantShareRule | None:
    return GrantShareRule.objects.valid_on(day).order_by("-valid_from").first()


# Room under the caps


@dataclass(frozen=True)
class Room:
    """How much a cap still allows: `limit` less what is `already` counted against it."""

    title: str
    limit: int
    already: int

    @property
    def room(self) -> int:
        return max(self.limit - self.already, 0)

    @property
    def message(self) -> str:
        return gettext("%(title)s: ₩%(limit)s; already awarded ₩%(already)s; room ₩%(room)s") % {
            "title": self.title, "limit": f"{self.limit:,}", "already": f"{self.already:,}", "room": f"{self.room:,}"}


def windows_containing(rule: GrantCapRule, day: date, dates: Iterable[date] = ()) -> list[tuple[date, date]]:
    """Every window of the rule that contains `day`, as (first day, last day): the n runs of n fiscal years that
    include its year, or — for rolling months — the windows starting where the heaviest one may start (the
    earliest possible start, or just where an award would drop out of it)."""
    n = rule.window_length
    if rule.window_kind == CapWindow.FISCAL_YEARS:
        return [(date(y, 1, 1), date(y + n - 1, 12, 31)) for y in range(day.year - n + 1, day.year + 1)]
    months = 12 * n
    earliest = add_months(day, -months) + timedelta(days=1)
    starts = {earliest} | {max(earliest, add_months(d, -months) + timedelta(days=1)) for d in dates}
    windows = [(s, add_months(s, months) - timedelta(days=1)) for s in sorted(starts) if s <= day]
    return [(s, e) for s, e in windows if e >= day]


def most_in_a_window(rule: GrantCapRule, day: date, dated: list[tuple[date, int]]) -> int:
    """The largest total of `dated` amounts falling in any one window of the rule that contains `day`."""
    windows = windows_containing(rule, day, [d for d, _ in dated])
    return max((sum(won for d, won in dated if start <= d <= end) for start, end in windows), default=0)


def counted_awards(sme_id: int, *, exclude: int | None = None) -> list[tuple[date, int]]:
    """(award date, won counted against the caps) of the SME's awards, in every country."""
    awards = Award.objects.filter(sme_id=sme_id).exclude(pk=exclude).values_list("award_date", "status", "amount",
                                                                                 "paid")
    return [(day, paid if status == AwardStatus.CANCELLED else amount) for day, status, amount, paid in awards]


def cap_room(rule: GrantCapRule, *, sme_id: int, day: date, exclude: int | None = None) -> Room:
    """The SME's room under the cap `rule` for an award dated `day`: the cap less the heaviest window containing
    `day` (an award dated `day` falls in every one of them)."""
    return Room(rule.title, rule.cap, most_in_a_window(rule, day, counted_awards(sme_id, exclude=exclude)))


def share_room(rule: GrantShareRule, project: ExpansionProject, *, exclude: int | None = None) -> Room:
    awards = project.awards.exclude(pk=exclude).values_list("status", "amount", "paid")
    already = sum(paid if status == AwardStatus.CANCELLED else amount for status, amount, paid in awards)
    title = gettext("Government share cap: %(percent)s %% of the project's total cost ₩%(cost)s") % {
        "percent": rule.percent, "cost": f"{project.total_cost:,}"}
    return Room(title, rule.limit(project.total_cost), already)


def sme_room(sme: Organization, country: str, day: date) -> Room | None:
    """What the SME could still be awarded for a project in `country` on `day` (None without a rule in force)."""
    rule = cap_rule_on(CountryScope.of(country), day)
    return cap_room(rule, sme_id=sme.pk, day=day) if rule is not None else None


# Totals


@dataclass(frozen=True)
class CountryTotal:
    country: str
    awarded: int
    paid: int


def totals_by_country(awards: QuerySet[Award] | None = None) -> list[CountryTotal]:
    """Won awarded (standing awards, and what was paid on cancelled ones) and paid, per target country."""
    awards = Award.objects.all() if awards is None else awards
    rows = (awards.values("project__country", "status").annotate(amount=Sum("amount"), paid=Sum("paid"))
            .order_by())
    totals: dict[str, list[int]] = {}
    for row in rows:
        slot = totals.setdefault(row["project__country"], [0, 0])
        slot[0] += row["paid"] if row["status"] == AwardStatus.CANCELLED else row["amount"]
        slot[1] += row["paid"]
    return [CountryTotal(country, awarded, paid) for country, (awarded, paid) in sorted(totals.items())]
