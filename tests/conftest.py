"""Fixtures shared by the whole suite: the people of the system, real services, and switches per database."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS  # noqa: E402

IS_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
HAS_BROKER = bool(os.environ.get("CELERY_BROKER_URL"))
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"
HAS_BROWSER = os.path.exists(CHROMIUM)


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL or a Redis broker are deselected on the embedded run, which has neither;
    the few about SQLite's own behaviour are deselected on PostgreSQL."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            # A transactional test ends with a flush that would also wipe what the migrations seeded (groups,
            # designated uses, tax-credit rules) for every test after it; reload that seed after the flush.
            item.add_marker(pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True),
                            append=False)
        if (
            (item.get_closest_marker("postgres") and not IS_POSTGRES)
            or (item.get_closest_marker("sqlite") and IS_POSTGRES)
            or (item.get_closest_marker("redis") and not HAS_BROKER)
            or (item.get_closest_marker("browser") and not HAS_BROWSER and not IN_CI)
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionstart(session):
    if IN_CI and not HAS_BROWSER:
        pytest.exit(f"CI needs Chromium at {CHROMIUM} for the browser tests (.ci/run installs it)", returncode=3)
    if HAS_BROKER:
        import redis

        try:
            redis.Redis.from_url(os.environ["CELERY_BROKER_URL"], socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            pytest.exit(f"CELERY_BROKER_URL is set but Redis does not answer: {exc}", returncode=3)


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process unless a test asks for the real worker (marker `redis`)."""
    from config.celery import app

    if request.node.get_closest_marker("redis"):
        yield
        return
    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def _user(django_user_model, username, *, group=None, **extra):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def fund_admin(db, django_user_model):
    return _user(django_user_model, "admin1", group=FUND_ADMINISTRATORS, is_staff=True)


@pytest.fixture
def auditor(db, django_user_model):
    return _user(django_user_model, "auditor1", group=AUDITORS, is_staff=True)


@pytest.fixture
def outsider(db, django_user_model):
    """Signed in, but neither administrator nor auditor."""
    return _user(django_user_model, "outsider1")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    def login(user):
        api.force_authenticate(user)
        return api

    return login


@pytest.fixture(autouse=True)
def sqlite_append_only_guards(request):
    """SQLite ends a transactional test (live server, real worker) with a flush that DELETEs every row, which the
    append-only triggers refuse. For such tests the guards are lifted just before the flush, and every database
    test makes sure they are in place while it runs. (PostgreSQL flushes with TRUNCATE, which row triggers never
    see.)"""
    if IS_POSTGRES or not (request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"}
                           & set(request.fixturenames)):
        yield
        return
    from django.db import connection

    from apps.audit.triggers import drop_sqlite as drop_audit_triggers
    from apps.audit.triggers import ensure_sqlite as install_audit_triggers
    from apps.ledger.guards import APPEND_ONLY_TABLES, install_sqlite_guards

    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    install_sqlite_guards(connection)
    install_audit_triggers(connection)
    yield
    if transactional:
        with connection.cursor() as cur:
            for table in APPEND_ONLY_TABLES:
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        drop_audit_triggers(connection)  # the audit trail's guards and the triggers that would record the flush


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with nothing reaching for the network (see STACK.md)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }
