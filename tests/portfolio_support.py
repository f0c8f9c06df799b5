"""The real registry records the tests import (tests/fixtures/ctgov/) give no IL-2: the classifier sets them
aside (trialdb.portfolio.classifier, issue 20), as it should. Tests of how the pages show real records (results, search,
What's new) keep them in the portfolio the way a person would: a reviewed decision that includes them
(`include = true`, category "not-given", a reason that says why), through the product's own override
(seed_data/portfolio.toml [[decision]], or `PortfolioInputs.reviewed` for an import)."""

from __future__ import annotations

import json
from pathlib import Path

from trialdb.readings import PortfolioInputs

CTGOV = Path(__file__).parent / "fixtures" / "ctgov"
REASON = "test fixture: a real registry record that gives no IL-2, kept in to test how the pages show real records"


def fixture_ncts() -> list[str]:
    """The NCT ids of every real record in tests/fixtures/ctgov/ (single studies and the search page)."""
    out: list[str] = []
    for path in sorted(CTGOV.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for study in data.get("studies", [data]):
            out.append(study["protocolSection"]["identificationModule"]["nctId"])
    return out


def reviewed(ncts: list[str] | None = None) -> dict[str, dict]:
    """Reviewed decisions (trialdb.portfolio.classifier.load_reviewed's shape) that include `ncts` (default: every
    fixture record)."""
    return {n: {"nct_id": n, "include": True, "category": "not-given", "reason": REASON, "quote": None}
            for n in (ncts if ncts is not None else fixture_ncts())}


def inputs(ncts: list[str] | None = None) -> PortfolioInputs:
    """Import inputs with those decisions (no curated registry regimens)."""
    return PortfolioInputs(reviewed=reviewed(ncts))


def add_to_portfolio_toml(seed_dir: Path, ncts: list[str] | None = None) -> None:
    """Append the decisions to a seed copy's portfolio.toml, as a person would write them."""
    lines = [f'\n[[decision]]\nnct_id = "{n}"\ninclude = true\ncategory = "not-given"\nreason = "{REASON}"\n'
             for n in (ncts if ncts is not None else fixture_ncts())]
    with (seed_dir / "portfolio.toml").open("a", encoding="utf-8") as f:
        f.write("".join(lines))
