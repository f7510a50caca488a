"""XLSX: an openpyxl workbook in write-only mode (rows go to disk as they are appended), one sheet of data with a
header row and one sheet of control totals. A worksheet holds at most 1,048,576 rows: a larger export is refused
with a pointer to CSV."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ..exceptions import InvalidExport
from ..selectors import Control, rows_to_write
from ..spec import ExportSpec
from .tabular import control_rows, header, row_chunks

MAX_ROWS = 1_048_576 - 3  # the header, and a statement's opening and closing rows
READ_BLOCK = 1024 * 1024


def refuse_if_too_large(spec: ExportSpec, control: Control) -> None:
    if rows_to_write(spec, control) > MAX_ROWS:
        raise InvalidExport(_("%(lines)s lines do not fit in one Excel sheet; export them as CSV.")
                            % {"lines": f"{control.lines:,}"}, field="format")


def chunks(spec: ExportSpec, control: Control, progress: Callable[[int], None]) -> Iterator[bytes]:
    refuse_if_too_large(spec, control)
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(_("Data"))
    data.append(header(spec.kind))
    for rows in row_chunks(spec, progress):
        for row in rows:
            data.append(row)
    totals = workbook.create_sheet(_("Control totals"))
    for row in control_rows(control):
        totals.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while block := out.read(READ_BLOCK):
            yield block
