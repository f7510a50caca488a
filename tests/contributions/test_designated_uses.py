"""The versioned list of designated uses: seeded, linked to the win-win funds, ended by an administrator with
`valid_to` (the undesignated `general` class included), and enforced on every submission."""

from datetime import date

import pytest
from django.core.management import call_command

from apps.contributions import services
from apps.contributions.catalogue import SEED_USES
from apps.contributions.exceptions import DesignatedUseNotValid, NotAllowed
from apps.contributions.models import DesignatedUse

from .conftest import D

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_every_use_valid_from_2026(db):
    codes = set(DesignatedUse.objects.filter(valid_from=date(2026, 1, 1)).values_list("code", flat=True))
    assert codes == {code for code, _, _ in SEED_USES}
    assert "general" in codes and "worker_welfare" in codes


def test_setup_links_the_uses_to_the_cooperation_fund_and_the_finance_pool_only(uses):
    culture = DesignatedUse.objects.get(code="culture")
    assert set(culture.funds.values_list("code", flat=True)) == {"wwcf", "wwfp"}


def test_setup_is_idempotent_and_keeps_an_administrators_end_date(uses):
    DesignatedUse.objects.filter(code="general").update(valid_to=date(2026, 6, 30))

    result = services.designated_uses_setup(actor="test")

    assert not result.changed
    assert DesignatedUse.objects.get(code="general").valid_to == date(2026, 6, 30)


def test_only_an_administrator_or_a_command_sets_up_the_uses(funds, member_a):
    before = DesignatedUse.funds.through.objects.count()
    with pytest.raises(NotAllowed):
        services.designated_uses_setup(actor=member_a)
    assert DesignatedUse.funds.through.objects.count() == before


def test_the_setup_command_reports_what_it_did(funds, capsys):
    call_command("setup_contributions")
    assert "Links to funds: 30" in capsys.readouterr().out
    call_command("setup_contributions")
    assert "nothing changed" in capsys.readouterr().out


def test_a_general_contribution_is_refused_once_an_administrator_ends_the_general_class(submit):
    assert submit(designated_use="general", contribution_date=date(2026, 6, 30)).designated_use.code == "general"
    DesignatedUse.objects.filter(code="general").update(valid_to=date(2026, 6, 30))

    with pytest.raises(DesignatedUseNotValid) as refused:
        submit(designated_use="general", contribution_date=date(2026, 7, 1))
    assert refused.value.field == "designated_use"


@pytest.mark.parametrize("use, day", [("culture", date(2025, 12, 31)), ("no_such_use", D)])
def test_a_use_not_valid_on_the_date_is_refused(submit, use, day):
    with pytest.raises(DesignatedUseNotValid):
        submit(designated_use=use, contribution_date=day)


def test_a_use_not_valid_for_the_fund_is_refused(submit, uses):
    with pytest.raises(DesignatedUseNotValid):
        submit(fund=uses["sef"])


def test_a_new_version_of_a_use_is_chosen_from_its_start(submit, uses):
    old = DesignatedUse.objects.get(code="culture")
    old.valid_to = date(2026, 4, 30)
    old.save()
    new = DesignatedUse.objects.create(code="culture", name_ko="문화·예술", name_en="Culture and arts",
                                       valid_from=date(2026, 5, 1))
    new.funds.add(uses["wwcf"])

    assert submit(designated_use="culture", contribution_date=date(2026, 4, 30)).designated_use == old
    assert submit(designated_use="culture", contribution_date=date(2026, 5, 1)).designated_use == new
    with pytest.raises(DesignatedUseNotValid):  # the old version, named directly, after its end
        submit(designated_use=old, contribution_date=date(2026, 5, 1))
