"""The links every room contributes: the header shows members only what they may open, and the back office's
sidebar survives a room whose model has no change list."""

import pytest
from django.apps import apps
from django.test import RequestFactory

from apps.core.navigation import admin_sidebar, model_link, portal_links
from tests.organizations.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def links_for(user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return {link["url"] for link in portal_links(request)["portal_links"]}


def test_members_get_the_rooms_links_but_not_the_auditors(member_a):
    urls = links_for(member_a)

    assert "/portal/grants/" in urls or any(u.startswith("/portal/grants/") for u in urls)
    assert not any(u.startswith("/auditor/") for u in urls)


@pytest.mark.parametrize("who", ["auditor", "fund_admin"])
def test_auditors_and_administrators_also_get_the_auditors_links(request, who):
    urls = links_for(request.getfixturevalue(who))

    assert {"/auditor/", "/auditor/exports/", "/auditor/statements/"} <= urls


def test_anonymous_visitors_get_no_links(client):
    from django.contrib.auth.models import AnonymousUser

    assert links_for(AnonymousUser()) == set()


def test_a_model_without_a_change_list_is_left_out_of_the_sidebar(fund_admin, monkeypatch):
    config = apps.get_app_config("grants")
    monkeypatch.setattr(config, "admin_nav", {"title": "x", "items": (("Ghost", "help", "grants.nosuchmodel"),)},
                        raising=False)
    request = RequestFactory().get("/admin/")
    request.user = fund_admin

    groups = admin_sidebar(request)

    assert model_link("Ghost", "help", "grants.nosuchmodel") is None
    assert all(item["title"] != "Ghost" for group in groups for item in group["items"])


def test_the_header_shows_the_links(client, member_a):
    client.force_login(member_a)

    html = client.get("/portal/").content.decode()

    assert 'href="/portal/grants/' in html and 'href="/auditor/' not in html
