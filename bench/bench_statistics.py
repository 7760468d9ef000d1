"""The statistics at 200,000 cases, beside a raw SQL count in the same run.

    .venv/bin/python bench/bench_statistics.py              # the cached 200,000-case store
    .venv/bin/python bench/bench_statistics.py --cases 20000 --repeat 5

For each range (the last 30 days, the last year, everything) it times
`StatisticsService.figures` (every registered series, folded into buckets) and, as the baseline,
the plainest SQL a person would write for the same cases: `SELECT count(*), sum(total_loss_fen)
FROM cases WHERE status = 'registered' AND reported_utc BETWEEN ...` (on the reported_utc index
of m001). The ratio is what counts; the page is "instant" while the figures take no more than a
few times that one count.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from benchstats import median, p95
from gui_store import NOW, ensure_store

from intake_app.domain.periods import DateRange
from intake_app.domain.times import SHANGHAI, utc_stamp

from intake_app.services.desk import Desk


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    data_dir, _built = ensure_store(args.cases, args.seed)
    desk = Desk.open(data_dir, clock=lambda: NOW, auto_backup=False)  # migrates to m008 once
    conn = desk.store.conn
    total = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    oldest = conn.execute("SELECT min(reported_at) FROM cases").fetchone()[0][:10]
    today = NOW.date()
    ranges = {
        "30 days": DateRange.ending(today, 30),
        "365 days": DateRange.ending(today, 365),
        "everything": DateRange(date.fromisoformat(oldest), today),
    }
    print(f"{total:,} cases; median and p95 of {args.repeat} runs, milliseconds")
    print(
        f"{'range':<12}{'cases':>9}{'figures':>10}{'p95':>8}{'raw count':>11}{'p95':>8}{'ratio':>8}"
    )
    for name, span in ranges.items():
        low = utc_stamp(datetime.combine(span.first, datetime.min.time(), tzinfo=SHANGHAI))
        high = utc_stamp(
            datetime.combine(span.last + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)
        )

        def raw(low: str = low, high: str = high) -> tuple[int, int]:
            return conn.execute(
                "SELECT count(*), sum(total_loss_fen) FROM cases WHERE status = 'registered' "
                "AND reported_utc >= ? AND reported_utc < ?",
                (low, high),
            ).fetchone()

        def figures(span: DateRange = span) -> object:
            return desk.statistics.figures(span)

        counted = raw()[0]
        assert desk.statistics.figures(span).totals["cases"] == counted
        product = timed(figures, args.repeat)
        baseline = timed(raw, args.repeat)
        ratio = median(product) / median(baseline)
        print(
            f"{name:<12}{counted:>9,}{median(product):>10.1f}{p95(product):>8.1f}"
            f"{median(baseline):>11.1f}{p95(baseline):>8.1f}{ratio:>8.2f}"
        )
    desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
