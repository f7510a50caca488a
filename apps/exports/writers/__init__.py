"""The writers of each format. `export_run` reads one snapshot, states its control totals and writes the file:
chunks of bytes for CSV and SAF-T (streamed to a response or a file as they come), a workbook for XLSX."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

from ..models import ExportFormat
from ..selectors import Control, control_totals, rows_to_write
from ..sources import snapshot
from ..spec import ExportSpec
from . import as_csv, as_saft, as_xlsx

Progress = Callable[[int, int], None]  # (rows written, rows in all)


class Export:
    """One export being written. `control` is known once the first chunk is out (it is read from the snapshot
    the rows come from). `progress_between_reads`: the progress callback writes to the database, which on
    SQLite's one connection must not happen inside a read snapshot (see `sources.snapshot`)."""

    def __init__(self, spec: ExportSpec, *, progress: Progress | None = None, progress_between_reads: bool = False):
        self.spec = spec
        self.progress = progress or (lambda done, total: None)
        self.control: Control | None = None
        self._alone = not progress_between_reads

    def chunks(self) -> Iterator[bytes]:
        with snapshot(when_alone=self._alone):
            self.control = control_totals(self.spec)
            total = rows_to_write(self.spec, self.control)
            self.progress(0, total)
            if self.spec.format == ExportFormat.XML:
                yield from as_saft.chunks(self.spec, self.control, lambda done: self.progress(done, total))
            elif self.spec.format == ExportFormat.CSV:
                yield from as_csv.chunks(self.spec, self.control, lambda done: self.progress(done, total))
            else:
                yield from as_xlsx.chunks(self.spec, self.control, lambda done: self.progress(done, total))
            self.progress(total, total)

    def write_to(self, out: BinaryIO) -> Control:
        for chunk in self.chunks():
            out.write(chunk)
        return self.control
