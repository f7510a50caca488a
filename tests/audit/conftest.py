"""The funds, two companies and their members, and a way to read the trail of one row."""

import pytest

from apps.audit.models import AuditEvent
from tests.contributions.conftest import USE, uses  # noqa: F401
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

__all__ = ["USE", "trail"]


def trail(obj_or_table, object_id=None) -> list[AuditEvent]:
    """The audit events of one row (a model instance, or a table name and primary key), oldest first."""
    if object_id is None:
        table, object_id = obj_or_table._meta.db_table, obj_or_table.pk
    else:
        table = obj_or_table
    return list(AuditEvent.objects.filter(table_name=table, object_id=str(object_id)).order_by("id"))


@pytest.fixture
def trail_of():
    return trail
