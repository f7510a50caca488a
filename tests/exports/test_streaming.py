"""Exports stream: rows are fetched and written a fetch at a time, so a file is never built whole in memory."""

import pytest

from apps.exports import sources
from apps.exports.spec import export_spec
from apps.exports.writers import Export, as_csv

from .conftest import YEAR_FROM, YEAR_TO

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_fetches(monkeypatch):
    monkeypatch.setattr(sources, "FETCH", 2)


def spec(kind, fmt, **extra):
    return export_spec(kind=kind, format=fmt, fund="", date_from=YEAR_FROM, date_to=YEAR_TO, **extra)


@pytest.mark.parametrize(("kind", "fmt"), [("saft", "xml"), ("statement", "csv")])
def test_rows_leave_a_fetch_at_a_time(books, tiny_fetches, kind, fmt):
    extra = {"fund": "wwcf", "account": "1110"} if kind == "statement" else {}
    chunks = Export(export_spec(kind=kind, format=fmt, date_from=YEAR_FROM, date_to=YEAR_TO,
                                **({"fund": ""} | extra))).chunks()
    first = next(chunks)  # the header is out before any row is read
    assert first and len(list(chunks)) >= 3


def test_a_csv_is_a_generator_of_chunks_each_smaller_than_the_file(books, tiny_fetches, monkeypatch):
    monkeypatch.setattr(as_csv, "PROGRESS_BYTES", 64)
    chunks = list(Export(spec("journal", "csv")).chunks())
    whole = b"".join(chunks)
    assert len(chunks) >= 4 and max(len(c) for c in chunks) < len(whole)


def test_progress_is_reported_as_rows_are_written(books, tiny_fetches):
    seen = []
    b"".join(Export(spec("saft", "xml"), progress=lambda done, total: seen.append((done, total))).chunks())
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert len(seen) >= 4 and [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize(("kind", "fmt"), [("journal", "csv"), ("saft", "xml")])
def test_a_download_abandoned_half_way_leaves_the_connection_usable(books, tiny_fetches, kind, fmt):
    from django.db import connection

    from apps.ledger.models import JournalEntry

    chunks = Export(spec(kind, fmt)).chunks()
    next(chunks)
    next(chunks)
    chunks.close()  # the client went away
    assert not connection.needs_rollback
    assert JournalEntry.objects.count() == 5
