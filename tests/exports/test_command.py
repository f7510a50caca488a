"""`manage.py export_ledger`: writes the file with progress on stderr; bad input exits non-zero with a message."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import read_csv

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--fund", "wwcf", "--from", "2026-01-01", "--to", "2026-12-31"]


def test_the_command_writes_the_export_and_reports_its_totals(books, tmp_path):
    out, err = tmp_path / "gl.csv", io.StringIO()
    call_command("export_ledger", *ARGS, "--kind", "gl", "--format", "csv", "-o", str(out), stderr=err)
    _, rows, control, _ = read_csv(out.read_bytes())
    assert len(rows) == 6 and control["total_credit"] == "8500000"
    assert "100% (6/6 lines)" in err.getvalue()
    assert "debit 8,500,000, credit 8,500,000; last seal wwcf 2026-000003" in err.getvalue()


def test_saft_is_written_as_xml_by_default(books, tmp_path):
    out = tmp_path / "ledger.xml"
    call_command("export_ledger", "--from", "2026-01-01", "--to", "2026-12-31", "--kind", "saft", "-o", str(out),
                 stderr=io.StringIO())
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


@pytest.mark.parametrize(("args", "message"), [
    (["--fund", "nope", "--kind", "gl"], "fund"),
    (["--fund", "wwcf", "--kind", "statement"], "account"),
    (["--fund", "wwcf", "--kind", "saft", "--format", "csv"], "format"),
])
def test_bad_input_exits_non_zero_naming_the_field(books, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_ledger", "--from", "2026-01-01", "--to", "2026-12-31", *args,
                     "-o", str(tmp_path / "x"), stderr=io.StringIO())


def test_a_date_that_is_not_one_is_refused(books, tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command("export_ledger", "--from", "2026-13-01", "--to", "2026-12-31", "--kind", "gl",
                     "-o", str(tmp_path / "x"))


def test_from_the_shell_bad_input_exits_non_zero_with_a_message(tmp_path):
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "export_ledger", "--from", "2026-13-01", "--to", "2026-12-31", "--kind", "gl",
         "-o", str(tmp_path / "x")], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "not a date (YYYY-MM-DD): '2026-13-01'" in done.stderr
    assert not (tmp_path / "x").exists()


def test_an_unwritable_output_exits_non_zero(books):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_ledger", *ARGS, "--kind", "journal", "-o", "/nonexistent/dir/x.csv",
                     stderr=io.StringIO())
