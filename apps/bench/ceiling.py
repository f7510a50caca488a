"""The machine's ceiling, measured in the same run as the ledger: a bare psycopg ledger that posts a two-line
transfer in one SQL round trip (`ceiling_single_per_s`, `ceiling_concurrent_4p_per_s`), or a thousand of them
(`ceiling_batch_per_s`).

The issue's targets are anchored on one day's reading of this machine (the ceiling then: 2,862 transfers/s from
one process, 4,475/s from four), but the machine's speed drifts from day to day by a factor of two and more. The
ceiling measured here, run for run in alternation with the ledger, says how fast the machine is today; the ledger's
share of it (`post_single_ceiling_share`, `post_concurrent_ceiling_share`) compares with the share the targets ask
for on the anchoring day (1,300 ÷ 2,862 and 1,600 ÷ 4,475), whatever today's speed. The anchor measured no bare
batch, so `post_batch_ceiling_share` has nothing to compare with; it shows how far batches are from the machine's
limit, for the next change to measure itself against.

The bare ledger keeps what the anchor kept and nothing more: a transfer row, two leg rows and two stored balances,
in one autocommitted statement. No checks (not even foreign keys), no idempotency, no running balances, no day totals.
"""

from __future__ import annotations

import random
import time

from .concurrency import run_in_processes
from .database import autocommit_connection

ACCOUNTS = 10
WARM_UP = 20
ANCHOR_SINGLE_PER_S = 2_862
ANCHOR_CONCURRENT_PER_S = 4_475

SCHEMA = """
DROP SCHEMA IF EXISTS ceiling CASCADE;
CREATE SCHEMA ceiling;
CREATE TABLE ceiling.account (id bigint PRIMARY KEY, balance bigint NOT NULL DEFAULT 0);
CREATE TABLE ceiling.transfer (id bigserial PRIMARY KEY, posted_on date NOT NULL,
                               posted_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE ceiling.leg (id bigserial PRIMARY KEY, transfer_id bigint NOT NULL, account_id bigint NOT NULL,
                          amount bigint NOT NULL);
CREATE INDEX ON ceiling.leg (account_id);
CREATE INDEX ON ceiling.leg (transfer_id);
INSERT INTO ceiling.account (id) SELECT generate_series(1, {accounts});
"""

# The two balances are locked in id order first (the order every writer uses, so four writers on the same accounts
# queue and never deadlock), then updated.
TRANSFER = """
WITH locked AS (SELECT id FROM ceiling.account WHERE id = ANY(ARRAY[%(dr)s::bigint, %(cr)s::bigint])
                 ORDER BY id FOR UPDATE),
     t AS (INSERT INTO ceiling.transfer (posted_on) VALUES (%(day)s) RETURNING id),
     legs AS (INSERT INTO ceiling.leg (transfer_id, account_id, amount)
              SELECT t.id, v.account, v.amount FROM t,
                     (VALUES (%(dr)s::bigint, %(amount)s::bigint), (%(cr)s::bigint, -%(amount)s::bigint))
                     AS v(account, amount)),
     balances AS (UPDATE ceiling.account
                     SET balance = balance + CASE WHEN id = %(dr)s THEN %(amount)s ELSE -%(amount)s END
                   WHERE id IN (SELECT id FROM locked))
SELECT id FROM t
"""

# A batch: many transfers in one statement, given as arrays; the balances are updated once per account.
BATCH = """
WITH v AS MATERIALIZED (
         SELECT x.*, nextval('ceiling.transfer_id_seq') AS id
           FROM unnest(%(days)s::date[], %(drs)s::bigint[], %(crs)s::bigint[], %(amounts)s::bigint[])
                WITH ORDINALITY AS x(day, dr, cr, amount, i)
          ORDER BY x.i),
     moves AS MATERIALIZED (
         SELECT v.id, v.dr AS account, v.amount FROM v UNION ALL SELECT v.id, v.cr, -v.amount FROM v),
     locked AS (SELECT id FROM ceiling.account WHERE id IN (SELECT account FROM moves) ORDER BY id FOR UPDATE),
     t AS (INSERT INTO ceiling.transfer (id, posted_on) SELECT v.id, v.day FROM v),
     legs AS (INSERT INTO ceiling.leg (transfer_id, account_id, amount)
              SELECT m.id, m.account, m.amount FROM moves m ORDER BY m.id),
     balances AS (UPDATE ceiling.account a SET balance = a.balance + s.amount
                    FROM (SELECT account, sum(amount) AS amount FROM moves GROUP BY account) s
                   WHERE a.id = s.account AND a.id IN (SELECT id FROM locked))
SELECT count(*) FROM v
"""


def create() -> None:
    with autocommit_connection() as conn:
        conn.execute(SCHEMA.format(accounts=ACCOUNTS))


def drop() -> None:
    with autocommit_connection() as conn:
        conn.execute("DROP SCHEMA IF EXISTS ceiling CASCADE")


def _plan(seed: str, count: int) -> list[dict]:
    rng = random.Random(seed)
    planned = []
    for _ in range(count):
        dr, cr = rng.sample(range(1, ACCOUNTS + 1), 2)
        planned.append({"day": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "dr": dr, "cr": cr,
                        "amount": rng.randint(1, 1_000_000)})
    return planned


def _post_all(planned: list[dict]) -> tuple[float, float]:
    """Post every transfer after a warm-up, one statement each; returns when the timed part started and ended
    (`time.perf_counter()`, one monotonic clock for every process of the machine)."""
    with autocommit_connection() as conn:
        for params in planned[:WARM_UP]:  # the statement is prepared from its fifth run
            conn.execute(TRANSFER, params, prepare=True)
        start = time.perf_counter()
        for params in planned[WARM_UP:]:
            conn.execute(TRANSFER, params, prepare=True)
        return start, time.perf_counter()


def single_rate(seed: str, count: int) -> float:
    start, end = _post_all(_plan(seed, WARM_UP + count))
    return count / (end - start)


def batch_rate(seed: str, batches: int, size: int) -> float:
    """`batches` statements of `size` transfers each, one after the other (after one batch of warm-up)."""
    plans = [_plan(f"{seed}-{i}", size) for i in range(batches + 1)]
    params = [{"days": [p["day"] for p in plan], "drs": [p["dr"] for p in plan], "crs": [p["cr"] for p in plan],
               "amounts": [p["amount"] for p in plan]} for plan in plans]
    with autocommit_connection() as conn:
        conn.execute(BATCH, params[0])
        start = time.perf_counter()
        for batch in params[1:]:
            conn.execute(BATCH, batch)
        return batches * size / (time.perf_counter() - start)


def _child(index: int, plans: list[list[dict]]) -> tuple[float, float]:
    return _post_all(plans[index])


def concurrent_rate(seed: str, processes: int, count: int) -> float:
    """`processes` processes posting `count` transfers each on the same accounts, from the first one's start to the
    last one's end (connections and warm-ups are outside the clock)."""
    plans = [_plan(f"{seed}-{i}", WARM_UP + count) for i in range(processes)]
    _, results = run_in_processes(processes, _child, plans)
    failed = [r.failure for r in results if r.failure]
    if failed:
        raise RuntimeError(f"the bare ledger failed: {failed[0]}")
    start, end = min(r.value[0] for r in results), max(r.value[1] for r in results)
    return processes * count / (end - start)
