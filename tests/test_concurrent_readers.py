"""Twenty readers at once on the app's engine (read-only and pooled, as `dashboard.data` makes it), each
with its own filter: every read returns exactly what the same read returns alone, and none fails or waits
out the pool. Runs on both engines. The twenty-browser-sessions test (tests/browser/test_many_users.py)
drives the real server, on SQLite only (scripts/test.sh says why); this puts the same concurrent reads on
PostgreSQL's connection pool, in seconds."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from trialdb import queries
from trialdb.queries import Filters
from trialdb.store.db import make_engine

FILTERS = [("SLE",), ("RA",), ("pSS",), ("SLE", "RA"), ("RA", "pSS"), ("SLE", "pSS"), None]
READERS = 20


def read(engine, f: Filters) -> tuple:
    """What a page run reads: the trials, the headline, the breakdown, the outcomes and the regimens."""
    return (tuple(queries.studies(engine, f).nct_id), tuple(sorted(queries.headline(engine, f).items())),
            queries.counts_by(engine, f).to_csv(), tuple(queries.outcomes(engine, f).outcome_id),
            tuple(queries.regimens(engine, f).id))


def test_twenty_readers_at_once_each_get_their_own_filter(db_url):
    engine = make_engine(db_url, readonly=True)
    try:
        alone = {inds: read(engine, Filters(inds)) for inds in FILTERS}
        assert len({r[0] for r in alone.values()}) == len(FILTERS)  # the filters do differ
        start = threading.Barrier(READERS)

        def reader(i: int) -> list[bool]:
            start.wait(timeout=60)  # all twenty begin together
            inds = FILTERS[i % len(FILTERS)]
            return [read(engine, Filters(inds)) == alone[inds] for _ in range(5)]

        with ThreadPoolExecutor(READERS) as pool:
            results = list(pool.map(reader, range(READERS)))  # an exception in any reader fails the test here
        assert results == [[True] * 5] * READERS
    finally:
        engine.dispose()
