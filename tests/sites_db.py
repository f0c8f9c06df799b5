"""A database of the seeds and the real registry records that list sites (tests/fixtures/ctgov/: three sites in
Spain, two in the United States, one in Canada, each with the registry's geoPoint), imported as a user would and kept
in the portfolio by a reviewed decision (tests/portfolio_support.py: they give no IL-2). The seed SLE trial's site in
Beijing has no geoPoint (its document names the city only). For the Where and who tests (AppTest and browser)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.results_db import fresh_url

CTGOV = REPO / "tests" / "fixtures" / "ctgov"
WITH_SITES = ("NCT03475563", "NCT03418623", "NCT00763412", "NCT05594173")
FILES = [CTGOV / f"{n}.json" for n in WITH_SITES]


def sites_database(folder: Path, name: str = "trials_sites") -> str:
    """The database's URL: seeds plus WITH_SITES (a SQLite file in `folder`, or PostgreSQL under TRIALDB_TEST_URL)."""
    from tests import portfolio_support
    from trialdb.build import build
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    url = fresh_url(folder, name)
    build(url)
    engine = make_engine(url)
    import_files(engine, FILES, portfolio_support.inputs(list(WITH_SITES)))
    engine.dispose()
    return url
