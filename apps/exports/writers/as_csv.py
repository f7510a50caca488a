"""CSV: UTF-8 with a byte-order mark (so that Excel reads Korean correctly), rows ending in a line feed (as
PostgreSQL's COPY writes them), a header row, the data rows, a blank
row, then the control block (`#control,<name>,<value>` and `#seal,<fund>,<number>,<hash>`).

On PostgreSQL the journal and the general ledger are written by the server itself (`COPY ... TO STDOUT`), the
fastest way out of the database; everything else goes through Python's C `csv` writer a fetch at a time."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from django.db import connection

from ..models import ExportKind
from ..selectors import Control
from ..sources import copy_csv, lines_statement
from ..spec import ExportSpec
from .tabular import control_rows, header, row_chunks

BOM = "\ufeff".encode()
COPIED_KINDS = (ExportKind.JOURNAL, ExportKind.GENERAL_LEDGER)
PROGRESS_BYTES = 4 * 1024 * 1024


def chunks(spec: ExportSpec, control: Control, progress: Callable[[int], None]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header(spec.kind))
    yield BOM + _drain(buffer)
    if connection.vendor == "postgresql" and spec.kind in COPIED_KINDS:
        yield from _copied(spec, progress)
    else:
        for rows in row_chunks(spec, progress):
            writer.writerows(rows)
            yield _drain(buffer)
    writer.writerow([])
    writer.writerows(control_rows(control))
    yield _drain(buffer)


def _copied(spec: ExportSpec, progress: Callable[[int], None]) -> Iterator[bytes]:
    """The server's CSV, passed on in larger pieces; lines counted by their ends (a memo with a line break counts
    twice, so progress may run ahead a little; it is capped at the total)."""
    pending, size, lines = [], 0, 0
    for piece in copy_csv(lines_statement(spec)):
        pending.append(piece)
        size += len(piece)
        if size >= PROGRESS_BYTES:
            block = b"".join(pending)
            lines += block.count(b"\n")
            yield block
            progress(lines)
            pending, size = [], 0
    if pending:
        block = b"".join(pending)
        yield block
        progress(lines + block.count(b"\n"))


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    return data
