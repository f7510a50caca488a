"""`manage.py bench` runs as a user would run it: in a subprocess, against its own throwaway database."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import get_commands
from django.core.management.base import CommandError

from apps.bench.database import bench_name, maintenance_connection

ROOT = Path(__file__).resolve().parents[2]
LEDGER_FIGURES = {
    "post_single_per_s", "post_concurrent_4p_per_s", "post_concurrent_errors", "bench_consistent",
    "post_batch_per_s", "post_single_at_1m_per_s", "post_single_at_1m_ratio", "balance_current_ms_1k",
    "balance_current_ms_1m", "balance_asof_ms_1m", "seal_entries_per_s", "ceiling_single_per_s",
    "ceiling_concurrent_4p_per_s", "post_single_ceiling_share", "post_concurrent_ceiling_share",
    "ceiling_batch_per_s", "post_batch_ceiling_share",
}


def run_bench(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "bench", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )


def test_bench_refuses_sqlite_and_says_why():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = run_bench("--quick", env=env)
    assert done.returncode != 0
    assert "refuses to run on sqlite3" in done.stderr
    assert "DATABASE_URL=postgres://" in done.stderr
    assert done.stdout == ""


def test_bench_never_uses_the_configured_database_as_its_throwaway():
    with pytest.raises(CommandError, match="refusing"):
        bench_name("winwin", "winwin")
    with pytest.raises(CommandError, match="refusing"):
        bench_name("winwin", "postgres")
    assert bench_name("winwin", None) == "winwin_bench"


def verification_exists() -> bool:
    return importlib.util.find_spec("apps.ledger.verification") is not None or "ledger_verify" in get_commands()


@pytest.mark.postgres
def test_quick_bench_prints_every_figure_and_leaves_a_consistent_ledger():
    configured = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    name = f"{configured}_benchtest"  # never the `<name>_bench` of a real run going on at the same time
    done = run_bench("--quick", "--database-name", name, env=dict(os.environ))
    assert done.returncode == 0, done.stderr[-3000:]

    lines = [json.loads(line) for line in done.stdout.splitlines()]
    figures = {line["figure"]: line for line in lines}
    expected = LEDGER_FIGURES | ({"verify_s_1m"} if verification_exists() else set())
    assert expected <= set(figures), done.stderr[-3000:]
    for line in lines:
        assert {"figure", "value", "unit", "entries", "database"} <= set(line)
        assert line["database"].startswith("postgresql ")
        assert isinstance(line["value"], int | float)
    assert figures["bench_consistent"]["value"] == 1
    assert figures["post_concurrent_errors"]["value"] == 0
    assert figures.get("verify_ok", {"value": 1})["value"] == 1
    assert figures["post_single_per_s"]["value"] > 0
    assert figures["ceiling_single_per_s"]["value"] > 0
    share = figures["post_single_ceiling_share"]
    assert share["value"] == pytest.approx(
        figures["post_single_per_s"]["value"] / figures["ceiling_single_per_s"]["value"], abs=0.002)
    assert share["targets_share"] == round(1_300 / 2_862, 3)
    assert figures["balance_current_ms_1k"]["value"] > 0

    with maintenance_connection() as maintenance:
        left = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    assert left is None, "the bench database was not dropped"
