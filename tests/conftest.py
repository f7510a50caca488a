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


# What the migrations seeded, as Django serialised it when it made the test database, per alias.
SERIALIZED: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialised seed of each test database where every later connection object can find it (see
    `pytest_runtest_setup`)."""
    from django.db import connections

    first = {alias: connections[alias] for alias in connections}
    for alias, connection in first.items():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            SERIALIZED[alias] = contents
    yield django_db_setup
    for connection in first.values():  # the objects from before a browser test: close them too, or the test
        connection.close()  # database cannot be dropped


def _restore_serialized_seed() -> None:
    """Once Playwright's event loop runs in the main thread (from the first browser test on), asgiref hands Django
    a new connection object per alias, without the serialised seed. Transactional tests need it twice: to reload
    the seed when they start, and to flush without re-running post_migrate when they end (which would recreate
    groups and permissions under new keys, and the next reload would collide with them). Give it back."""
    from django.db import connections

    for alias, contents in SERIALIZED.items():
        connection = connections[alias]
        if not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = contents


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _restore_serialized_seed()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    _restore_serialized_seed()
    yield
    if SERIALIZED and nextitem is not None and _is_transactional(item):  # after the last test, the test
        _reload_seed(item.config)  # database is gone already


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _reload_seed(config) -> None:
    """A transactional test ends with a flush that empties every table, migrations' seed included (designated
    uses, tax-credit and grant rules, guarantee institutions, groups...). Put the seed back at once, as the next
    transactional test would, so that the tests after it see the database the migrations made whatever the order
    the suite runs in."""
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for alias, contents in SERIALIZED.items():
            connections[alias].creation.deserialize_db_from_string(contents)
            connections[alias].close()  # as the test's own teardown left it: the test database can be dropped


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language (Korean). A request made with another Accept-Language
    leaves that language active in the thread, so without this a test's outcome would depend on which test ran
    before it in the same worker."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
    from apps.ledger.guards import drop_sqlite_guards, install_sqlite_guards

    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    install_sqlite_guards(connection)
    install_audit_triggers(connection)
    yield
    if transactional:
        drop_sqlite_guards(connection)
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
