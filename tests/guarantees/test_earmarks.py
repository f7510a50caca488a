"""Earmarks: only a contributor's own wwfp contributions, once each, for one of its own programs."""

import pytest

from apps.contributions import services as contributions
from apps.guarantees import services
from apps.guarantees.exceptions import IdempotencyConflict, InvalidEarmark, NotAllowed
from apps.guarantees.models import Earmark

from .conftest import USE, D, confirm, make_program


def test_finance_officer_earmarks_own_pool_contribution(wwfp, org_a, member_a, program):
    contribution = confirm(wwfp, org_a, 50_000_000)

    earmark = services.earmark_create(actor=member_a, contribution=contribution, program=program)

    assert earmark.contribution == contribution and earmark.program.institution.code == "kodit"
    assert earmark.created_by == member_a


def test_contribution_to_another_fund_cannot_be_earmarked(uses, org_a, member_a, program):
    contribution = confirm(uses["wwcf"], org_a, 50_000_000)

    with pytest.raises(InvalidEarmark, match="wwfp") as refusal:
        services.earmark_create(actor=member_a, contribution=contribution, program=program)
    assert refusal.value.field == "contribution"


def test_another_companys_contribution_cannot_be_earmarked(wwfp, org_b, member_a, program):
    contribution = confirm(wwfp, org_b, 50_000_000)

    with pytest.raises(NotAllowed):
        services.earmark_create(actor=member_a, contribution=contribution, program=program)


def test_a_contribution_cannot_go_to_another_contributors_program(wwfp, org_b, member_b, kodit, org_a, program):
    contribution = confirm(wwfp, org_b, 50_000_000)

    with pytest.raises(InvalidEarmark, match="another contributor") as refusal:
        services.earmark_create(actor=member_b, contribution=contribution, program=program)
    assert refusal.value.field == "program"


def test_a_viewer_cannot_earmark(wwfp, org_a, viewer_a, program):
    contribution = confirm(wwfp, org_a, 50_000_000)

    with pytest.raises(NotAllowed):
        services.earmark_create(actor=viewer_a, contribution=contribution, program=program)


def test_a_contribution_is_earmarked_once(earmarked, kibo, org_a, fund_admin):
    other = make_program(kibo, org_a, name="기술혁신 보증")

    with pytest.raises(InvalidEarmark, match="already earmarked"):
        services.earmark_create(actor=fund_admin, contribution=earmarked, program=other)


def test_a_withdrawn_contribution_cannot_be_earmarked(wwfp, org_a, member_a, program):
    contribution = contributions.contribution_submit(actor=member_a, organization=org_a, fund=wwfp,
                                                     amount=10_000_000, contribution_date=D, designated_use=USE)
    contributions.contribution_withdraw(actor=member_a, contribution=contribution, reason="typo")

    with pytest.raises(InvalidEarmark, match="withdrawn"):
        services.earmark_create(actor=member_a, contribution=contribution, program=program)


def test_the_same_idempotency_key_makes_one_earmark(wwfp, org_a, member_a, program, kibo):
    contribution = confirm(wwfp, org_a, 50_000_000)

    first = services.earmark_create(actor=member_a, contribution=contribution, program=program, idempotency_key="k1")
    again = services.earmark_create(actor=member_a, contribution=contribution, program=program, idempotency_key="k1")

    assert again.pk == first.pk and again.is_replay
    assert Earmark.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        services.earmark_create(actor=member_a, contribution=contribution, program=make_program(kibo, org_a),
                                idempotency_key="k1")
