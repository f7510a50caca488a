"""Ledger benchmarks: posting throughput (single, concurrent, batched), balance reads, sealing and verification.

Every scenario builds its own ledger in the bench database and goes through the public services and selectors
only, as a caller of the ledger would. Postings are planned (accounts, amounts, dates) before the clock starts;
the timed part is the service call. Effective dates spread over the 365 days of 2026 so that point-in-time
balances have a year of day totals to add up.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command, get_commands
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum

from apps.core.money import krw
from apps.ledger import selectors, services
from apps.ledger.models import Account, AccountDay, AccountType, JournalEntry, JournalLine, Ledger
from apps.ledger.sealing import seal_ledger_fully

from . import ceiling
from .concurrency import run_in_processes
from .figures import Reporter, Stopwatch, median_ms, median_rate, stage

ACTOR = "bench"
YEAR_START = date(2026, 1, 1)
DAYS = 365
AS_OF = date(2026, 7, 2)  # the middle of the year: half of the day totals add up
ACCOUNTS = 10
WARM_UP_POSTS = 50


@dataclass(frozen=True)
class Sizes:
    runs: int = 3
    single_posts: int = 2_000
    processes: int = 4
    concurrent_posts: int = 1_500  # per process and run
    batch_size: int = 1_000
    batches: int = 5  # per run
    big_lines: int = 1_000_000
    small_account_lines: int = 1_000  # lines on the account of balance_current_ms_1k
    reads: int = 1_000
    asof_reads: int = 200
    progress_every: int = 50_000


FULL = Sizes()
QUICK = Sizes(single_posts=200, concurrent_posts=100, batches=2, big_lines=10_000, reads=200, asof_reads=50,
              progress_every=2_000)

# (figure, target as people say it, check over all figures measured)
TARGETS = [
    ("post_single_per_s", "≥ 1,300 entries/s", lambda f: f["post_single_per_s"] >= 1_300),
    ("post_concurrent_4p_per_s", "≥ 1,600 entries/s", lambda f: f["post_concurrent_4p_per_s"] >= 1_600),
    ("post_concurrent_errors", "= 0", lambda f: f["post_concurrent_errors"] == 0),
    ("bench_consistent", "= 1", lambda f: f["bench_consistent"] == 1),
    ("post_batch_per_s", "≥ 20,000 entries/s", lambda f: f["post_batch_per_s"] >= 20_000),
    # The ratio to single postings into the small ledger, measured in alternation (post_single_at_scale).
    ("post_single_at_1m_ratio", "≥ 0.9 (post_single_at_1m_per_s ÷ post_single_per_s)",
     lambda f: f["post_single_at_1m_ratio"] >= 0.9),
    ("balance_current_ms_1k", "≤ 2 ms", lambda f: f["balance_current_ms_1k"] <= 2),
    ("balance_current_ms_1m", "≤ 2 ms and ≤ 1.5 × balance_current_ms_1k",
     lambda f: f["balance_current_ms_1m"] <= min(2, 1.5 * f["balance_current_ms_1k"])),
    ("balance_asof_ms_1m", "≤ 20 ms", lambda f: f["balance_asof_ms_1m"] <= 20),
    ("verify_s_1m", "≤ 60 s", lambda f: f["verify_s_1m"] <= 60),
]
# The ledger's share of this machine's ceiling measured in the same run (`apps.bench.ceiling`), against the share the
# targets ask for on the anchoring day: how far the ledger is from its targets whatever the machine's speed today.
RELATIVE = [
    ("post_single_ceiling_share", "post_single_per_s", "ceiling_single_per_s", 1_300 / ceiling.ANCHOR_SINGLE_PER_S),
    ("post_concurrent_ceiling_share", "post_concurrent_4p_per_s", "ceiling_concurrent_4p_per_s",
     1_600 / ceiling.ANCHOR_CONCURRENT_PER_S),
    ("post_batch_ceiling_share", "post_batch_per_s", "ceiling_batch_per_s", None),  # no anchor to compare with
]
# Figures that say the ledger stayed correct (not how fast it was): the command fails when one of these misses.
CORRECTNESS = ("post_concurrent_errors", "bench_consistent", "verify_ok")


def run(reporter: Reporter, sizes: Sizes) -> None:
    ceiling.create()
    single = post_single(reporter, sizes)
    post_concurrent(reporter, sizes)
    post_batch(reporter, sizes)
    ceiling.drop()
    small = book_with_account_lines("thousand", 2 * sizes.small_account_lines)
    big = build_big_ledger(reporter, sizes)
    post_single_at_scale(reporter, sizes, big=big, small=single)
    balance_reads(reporter, sizes, small=small, big=big)
    seal_and_verify(reporter)


@dataclass(frozen=True)
class Book:
    ledger_id: int
    account_ids: list[int]
    lines: int = 0  # journal lines posted to the ledger when it was built
    hot_account_lines: int = 0  # lines on account_ids[0]


def make_book(code: str) -> Book:
    ledger = Ledger.objects.create(code=f"bench-{code}", name_ko=f"벤치마크 {code}", name_en=f"Benchmark {code}")
    accounts = Account.objects.bulk_create([
        Account(ledger=ledger, code=f"{1100 + i}", name_ko=f"벤치 계정 {i}", name_en=f"Bench account {i}",
                type=AccountType.ASSET)  # not limited: any random pair may post
        for i in range(ACCOUNTS)
    ])
    return Book(ledger.pk, [a.pk for a in accounts])


def plan(rng: random.Random, account_ids: list[int], count: int) -> list[tuple[date, list]]:
    """`count` two-line postings between random pairs of the accounts, on random days of 2026."""
    planned = []
    for _ in range(count):
        dr, cr = rng.sample(account_ids, 2)
        amount = krw(rng.randint(1, 1_000_000))
        planned.append((YEAR_START + timedelta(days=rng.randrange(DAYS)),
                        [services.debit(dr, amount), services.credit(cr, amount)]))
    return planned


def post_each(ledger_id: int, planned: list[tuple[date, list]]) -> float:
    """Post one entry per transaction; returns the wall time."""
    with Stopwatch() as watch:
        for day, lines in planned:
            services.entry_post(actor=ACTOR, ledger=ledger_id, effective_date=day, lines=lines)
    return watch.elapsed


def post_single(reporter: Reporter, sizes: Sizes) -> Book:
    book = make_book("single")
    rng = random.Random("single")
    ceiling_rates: list[float] = []

    def one_run(i: int) -> float:
        ceiling_rates.append(ceiling.single_rate(f"single-{i}", sizes.single_posts))
        return post_each(book.ledger_id, plan(rng, book.account_ids, sizes.single_posts))

    with stage(reporter, f"post_single_per_s: {sizes.runs} × {sizes.single_posts:,} entries, one per transaction, "
                         "each run after one of the bare ledger"):
        post_each(book.ledger_id, plan(rng, book.account_ids, WARM_UP_POSTS))
        rate, rates = median_rate(sizes.runs, sizes.single_posts, one_run)
    reporter.figure("post_single_per_s", rate, "entries/s", sizes.single_posts, runs=[round(r) for r in rates])
    _report_ceiling(reporter, "ceiling_single_per_s", ceiling_rates, sizes.single_posts)
    return book


def _report_ceiling(reporter: Reporter, name: str, rates: list[float], count: int) -> None:
    reporter.figure(name, statistics.median(rates), "transfers/s", count, runs=[round(r) for r in rates],
                    what="bare psycopg ledger: a transfer row, two legs and two balances per transfer")
    for share, ours, bare, asked in RELATIVE:
        if bare == name:
            reporter.figure(share, reporter.figures[ours] / reporter.figures[bare], "ratio", count,
                            **({} if asked is None else {"targets_share": round(asked, 3)}))


def post_single_at_scale(reporter: Reporter, sizes: Sizes, *, big: Book, small: Book) -> None:
    """Single postings into the big ledger. Each run alternates with one into the small ledger of
    `post_single_per_s`, so that the ratio of the two compares like with like on a machine whose load drifts."""
    rng = random.Random("at-scale")
    count = sizes.single_posts
    big_rates, small_rates = [], []
    with stage(reporter, f"post_single_at_1m_per_s: {sizes.runs} × {count:,} entries into a ledger of "
                         f"{big.lines:,} lines, alternating with the small ledger"):
        for book in (big, small):
            post_each(book.ledger_id, plan(rng, book.account_ids, WARM_UP_POSTS))
        for _ in range(sizes.runs):
            small_rates.append(count / post_each(small.ledger_id, plan(rng, small.account_ids, count)))
            big_rates.append(count / post_each(big.ledger_id, plan(rng, big.account_ids, count)))
    rate, baseline = statistics.median(big_rates), statistics.median(small_rates)
    reporter.figure("post_single_at_1m_per_s", rate, "entries/s", count, runs=[round(r) for r in big_rates],
                    ledger_lines=big.lines)
    reporter.figure("post_single_at_1m_ratio", rate / baseline, "ratio", count,
                    small_ledger_runs=[round(r) for r in small_rates])


def _post_planned(index: int, ledger_id: int, plans: list[list[tuple[date, list]]]) -> dict:
    """One child of the concurrent run: post its plan, counting (not raising) whatever reaches it."""
    errors, samples = 0, []
    for day, lines in plans[index]:
        try:
            services.entry_post(actor=ACTOR, ledger=ledger_id, effective_date=day, lines=lines)
        except Exception as exc:  # the figure is how many errors reach the caller
            errors += 1
            if len(samples) < 3:
                samples.append(repr(exc))
    return {"posted": len(plans[index]) - errors, "errors": errors, "samples": samples}


def post_concurrent(reporter: Reporter, sizes: Sizes) -> None:
    book = make_book("concurrent")
    rng = random.Random("concurrent")
    per_run = sizes.processes * sizes.concurrent_posts
    rates, ceiling_rates, errors = [], [], 0
    with stage(reporter, f"post_concurrent_4p_per_s: {sizes.runs} × {sizes.processes} processes × "
                         f"{sizes.concurrent_posts:,} entries on the same {ACCOUNTS} accounts, each run after one "
                         "of the bare ledger"):
        for run_index in range(sizes.runs):
            ceiling_rates.append(ceiling.concurrent_rate(f"concurrent-{run_index}", sizes.processes,
                                                         sizes.concurrent_posts))
            plans = [plan(rng, book.account_ids, sizes.concurrent_posts) for _ in range(sizes.processes)]
            elapsed, results = run_in_processes(sizes.processes, _post_planned, book.ledger_id, plans)
            posted = 0
            for result in results:
                if result.failure:
                    reporter.info(f"child {result.index} failed: {result.failure}")
                    errors += sizes.concurrent_posts
                    continue
                posted += result.value["posted"]
                errors += result.value["errors"]
                for sample in result.value["samples"]:
                    reporter.info(f"child {result.index}: {sample}")
            rates.append(posted / elapsed)
    reporter.figure("post_concurrent_4p_per_s", statistics.median(rates), "entries/s", per_run,
                    runs=[round(r) for r in rates], processes=sizes.processes)
    _report_ceiling(reporter, "ceiling_concurrent_4p_per_s", ceiling_rates, per_run)
    reporter.figure("post_concurrent_errors", errors, "errors", per_run * sizes.runs)
    problems = ledger_problems(book.ledger_id)
    for problem in problems:
        reporter.info(f"inconsistent: {problem}")
    reporter.figure("bench_consistent", 0 if problems else 1, "bool", per_run * sizes.runs)


def ledger_problems(ledger_id: int) -> list[str]:
    """Why the ledger is not sound: a trial balance that does not sum to zero, or a stored balance (running
    totals, day totals) that differs from the sum of the account's lines."""
    problems = []
    trial = selectors.trial_balance(Ledger.objects.get(pk=ledger_id))
    if not trial.is_balanced:
        problems.append(f"trial balance: debits {trial.total_debit:,} ≠ credits {trial.total_credit:,}")

    def sums(rows) -> dict[int, tuple[int, int]]:
        totals = rows.values("account_id").annotate(d=Sum("debit"), c=Sum("credit")).order_by()
        return {r["account_id"]: (r["d"], r["c"]) for r in totals}

    lines = sums(JournalLine.objects.filter(account__ledger_id=ledger_id))
    days = sums(AccountDay.objects.filter(account__ledger_id=ledger_id))
    for account in Account.objects.filter(ledger_id=ledger_id):
        stored = (account.debit_total, account.credit_total)
        if lines.get(account.pk, (0, 0)) != stored:
            problems.append(f"account {account.code}: stored {stored} ≠ lines {lines.get(account.pk)}")
        if days.get(account.pk, (0, 0)) != stored:
            problems.append(f"account {account.code}: stored {stored} ≠ day totals {days.get(account.pk)}")
    return problems


def post_batch(reporter: Reporter, sizes: Sizes) -> None:
    book = make_book("batch")
    rng = random.Random("batch")

    def specs() -> list:
        return [services.entry_spec(ledger=book.ledger_id, effective_date=day, lines=lines)
                for day, lines in plan(rng, book.account_ids, sizes.batch_size)]

    ceiling_rates: list[float] = []

    def one_run(i: int) -> float:
        ceiling_rates.append(ceiling.batch_rate(f"batch-{i}", sizes.batches, sizes.batch_size))
        batches = [specs() for _ in range(sizes.batches)]
        with Stopwatch() as watch:
            for batch in batches:
                services.entries_post_batch(actor=ACTOR, entries=batch)
        return watch.elapsed

    entries = sizes.batches * sizes.batch_size
    with stage(reporter, f"post_batch_per_s: {sizes.runs} × {sizes.batches} batches of {sizes.batch_size:,} entries, "
                         "each run after one of the bare ledger"):
        services.entries_post_batch(actor=ACTOR, entries=specs())  # warm-up
        rate, rates = median_rate(sizes.runs, entries, one_run)
    reporter.figure("post_batch_per_s", rate, "entries/s", entries, runs=[round(r) for r in rates],
                    batch_size=sizes.batch_size)
    _report_ceiling(reporter, "ceiling_batch_per_s", ceiling_rates, entries)


def _specs_on_hot_account(book: Book, first: int, count: int, total: int) -> list:
    """Entries `first`..`first + count` of `total`: each between the hot account (alternately debited and
    credited) and one of the others in turn, dated in order across 2026."""
    hot, others = book.account_ids[0], book.account_ids[1:]
    specs = []
    for i in range(first, first + count):
        amount = krw(1 + (i * 7_919) % 1_000_000)
        dr, cr = (hot, others[i % len(others)]) if i % 2 == 0 else (others[i % len(others)], hot)
        specs.append(services.entry_spec(
            ledger=book.ledger_id, effective_date=YEAR_START + timedelta(days=i * DAYS // total),
            lines=[services.debit(dr, amount), services.credit(cr, amount)],
        ))
    return specs


def book_with_account_lines(code: str, lines: int, *, batch_size: int = 1_000,
                            reporter: Reporter | None = None, progress_every: int = 0) -> Book:
    """A ledger of `lines` journal lines in two-line entries, half of them on its first account."""
    book = make_book(code)
    entries = lines // 2
    started, reported = time.perf_counter(), 0
    for first in range(0, entries, batch_size):
        services.entries_post_batch(
            actor=ACTOR, entries=_specs_on_hot_account(book, first, min(batch_size, entries - first), entries)
        )
        done = min(first + batch_size, entries)
        if reporter and progress_every and (done - reported >= progress_every // 2 or done == entries):
            reported = done
            rate = done / (time.perf_counter() - started)
            reporter.info(f"  {2 * done:,} / {2 * entries:,} lines ({rate:,.0f} entries/s)")
    return Book(book.ledger_id, book.account_ids, lines=2 * entries, hot_account_lines=entries)


LEDGER_TABLES = ("ledger_journalentry", "ledger_journalline", "ledger_entryseal", "ledger_account",
                 "ledger_accountday")


def build_big_ledger(reporter: Reporter, sizes: Sizes) -> Book:
    with stage(reporter, f"building a ledger of {sizes.big_lines:,} lines with entries_post_batch"):
        book = book_with_account_lines("million", sizes.big_lines, batch_size=sizes.batch_size, reporter=reporter,
                                       progress_every=sizes.progress_every)
    analyze_ledger_tables(reporter)
    return book


def analyze_ledger_tables(reporter: Reporter) -> None:
    """Fresh statistics after a bulk load, as autovacuum would gather them: reads are timed on the plans a running
    system gets, not on plans made for empty tables."""
    with stage(reporter, "ANALYZE of the ledger tables"), connection.cursor() as cur:
        for table in LEDGER_TABLES:
            cur.execute(f"ANALYZE {table}")


def _time_each(call, samples: list[float]) -> None:
    start = time.perf_counter()
    call()
    samples.append(time.perf_counter() - start)


def balance_reads(reporter: Reporter, sizes: Sizes, *, small: Book, big: Book) -> None:
    """Current balances read fresh from the database (interleaved between the two accounts so that noise hits
    both alike), then point-in-time balances of the big ledger's busiest account."""

    def current(account_id: int):
        return lambda: selectors.account_balance(Account.objects.get(pk=account_id))

    small_id, big_id = small.account_ids[0], big.account_ids[0]
    small_samples: list[float] = []
    big_samples: list[float] = []
    with stage(reporter, f"balance reads: {sizes.reads:,} current, {sizes.asof_reads:,} as of {AS_OF}"):
        for _ in range(WARM_UP_POSTS):
            current(small_id)()
            current(big_id)()
        for _ in range(sizes.reads):
            _time_each(current(small_id), small_samples)
            _time_each(current(big_id), big_samples)
        account = Account.objects.get(pk=big_id)
        asof_samples: list[float] = []
        for _ in range(WARM_UP_POSTS):
            selectors.account_balance(account, as_of=AS_OF)
        for _ in range(sizes.asof_reads):
            _time_each(lambda: selectors.account_balance(account, as_of=AS_OF), asof_samples)
    for name, samples, book in (("balance_current_ms_1k", small_samples, small),
                                ("balance_current_ms_1m", big_samples, big)):
        reporter.figure(name, median_ms(samples), "ms", book.lines // 2, account_lines=book.hot_account_lines,
                        ledger_lines=book.lines, reads=len(samples))
    reporter.figure("balance_asof_ms_1m", median_ms(asof_samples), "ms", big.lines // 2,
                    account_lines=big.hot_account_lines, ledger_lines=big.lines, reads=len(asof_samples),
                    as_of=AS_OF.isoformat())


def seal_and_verify(reporter: Reporter) -> None:
    """Seal every entry (as the periodic sealer would), then time a full verification of the database."""
    entries, lines = JournalEntry.objects.count(), JournalLine.objects.count()
    sealed = 0
    with stage(reporter, f"sealing {entries:,} entries") as watch:
        for ledger_id in Ledger.objects.order_by("pk").values_list("pk", flat=True):
            sealed += seal_ledger_fully(ledger_id)
    reporter.figure("seal_entries_per_s", sealed / watch.elapsed, "entries/s", sealed, seconds=round(watch.elapsed, 1))
    verify = _verifier(reporter)
    if verify is None:
        return
    with stage(reporter, f"ledger_verify over {lines:,} lines") as watch:
        ok = verify()
    reporter.figure("verify_s_1m", watch.elapsed, "s", entries, lines=lines)
    if ok is not None:
        reporter.figure("verify_ok", int(ok), "bool", entries)


def _verifier(reporter: Reporter):
    """The verification to time: `apps.ledger.verification.verify()`, else the `ledger_verify` command, else
    none (the figure is skipped with a message). Returns a callable answering whether the ledger verified."""
    try:
        from apps.ledger import verification
    except ImportError:
        verification = None
    if verification is not None and hasattr(verification, "verify"):
        return lambda: _verified(reporter, verification.verify())
    if "ledger_verify" in get_commands():
        return _verify_command
    reporter.info("verify_s_1m skipped: neither apps.ledger.verification.verify() nor the ledger_verify command "
                  "exists yet")
    return None


def _verified(reporter: Reporter, result) -> bool | None:
    for problem in list(getattr(result, "problems", None) or [])[:10]:
        reporter.info(f"ledger_verify: {problem}")
    ok = getattr(result, "ok", result)
    return ok if isinstance(ok, bool) else None


def _verify_command() -> bool:
    try:
        call_command("ledger_verify", stdout=StringIO(), stderr=StringIO())
    except (CommandError, SystemExit):
        return False
    return True
