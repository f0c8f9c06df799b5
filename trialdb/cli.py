"""Command line: `python -m trialdb build|check|export|import|sync|pubmed|changes`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from trialdb.errors import SourceError
from trialdb.store.db import SEED_DIR, database_url, make_engine

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trialdb", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    for name, text in (("build", "build the database from seed_data/ (atomically)"),
                       ("check", "verify every quote is verbatim in its document"),
                       ("export", "write the database as JSON (ClinicalTrials.gov API v2 shapes) to stdout")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
        if name in ("build", "check"):
            p.add_argument("--seed", type=Path, default=SEED_DIR, help="folder of source documents (default: seed_data/)")
    imp = sub.add_parser("import", help="import ClinicalTrials.gov API v2 JSON (a study, a list, a search page) "
                                        "or PubMed efetch XML (FILE.xml: one article or many)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
    sy = sub.add_parser("sync", help="fetch the portfolio from the ClinicalTrials.gov API v2, import it, record changes")
    sy.add_argument("--api", help="API base URL (default: $TRIALDB_CTGOV_API or https://clinicaltrials.gov/api/v2)")
    which = sy.add_mutually_exclusive_group()
    which.add_argument("--query", help="free text for query.term instead of seed_data/portfolio.toml's query")
    which.add_argument("--nct", nargs="+", metavar="NCT", help="fetch these records only")
    sy.add_argument("--full", action="store_true", help="re-read everything, not only records updated since the last sync")
    sy.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
    sy.add_argument("--seed", type=Path, default=SEED_DIR, help="folder of source documents (default: seed_data/)")
    sy.add_argument("--rate", type=float, default=50, help="requests a minute at most (default 50, the registry's ask)")
    sy.add_argument("--page-size", type=int, default=100, help="studies a page (default 100)")
    pm = sub.add_parser("pubmed", help="fetch the publications of every trial from PubMed (NCBI E-utilities) into "
                                       "seed_data/pubmed/ and the database")
    pm.add_argument("--api", help="E-utilities base URL (default: $TRIALDB_PUBMED_API or "
                                  "https://eutils.ncbi.nlm.nih.gov/entrez/eutils)")
    pm.add_argument("--full", action="store_true", help="fetch every publication again, not only those not stored yet")
    pm.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
    pm.add_argument("--seed", type=Path, default=SEED_DIR, help="folder of source documents (default: seed_data/)")
    sy.add_argument("--pubmed-api", help="E-utilities base URL for the PubMed step (default: as `pubmed --api`)")
    sy.add_argument("--no-pubmed", action="store_true", help="skip the PubMed step (registry records only)")
    chg = sub.add_parser("changes", help="list what registry syncs found changed, newest first")
    chg.add_argument("--since", help="only changes detected on or after this date (YYYY-MM-DD)")
    chg.add_argument("--json", action="store_true", help="a JSON list of {nct_id, field, old, new, last_update, detected}")
    chg.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
    args = ap.parse_args(argv)
    url = database_url(args.db) if args.db else database_url()
    try:
        if args.command == "build":
            from trialdb.build import build

            result = build(url, args.seed)
            print(f"built {result.url}\n{result.report.summary()}")
            return 0
        if args.command == "pubmed":
            return _pubmed(args.api, args.full, args.seed, url)
        if args.command == "import" and any(f.suffix.lower() == ".xml" for f in args.files):
            from trialdb.pubmed.fetch import import_articles

            if not all(f.suffix.lower() == ".xml" for f in args.files):
                print("error: import PubMed XML files and registry JSON files in separate calls", file=sys.stderr)
                return 2
            print(import_articles(url, args.files))
            return 0
        if args.command == "import":
            from trialdb.registry.importer import import_files

            engine = make_engine(url)
            try:
                print(import_files(engine, args.files).summary())
            finally:
                engine.dispose()
            return 0
        if args.command == "sync":
            return _sync(args, url)
        engine = make_engine(url, readonly=True)
        if args.command == "changes":
            return _changes(args, engine)
        if args.command == "check":
            from trialdb.check import check
            from trialdb.registry.folder import changed_files

            report = check(engine)
            from trialdb.pubmed.folder import changed_files as changed_articles

            # record and article files changed since they were fetched
            report.files = changed_files(args.seed) + changed_articles(args.seed)
            print(report.summary())
            return 0 if report.ok else 1
        from trialdb.export import export_json

        sys.stdout.write(export_json(engine) + "\n")
        return 0
    except SourceError as exc:
        print(f"error: {exc}\nThe previous database is untouched.", file=sys.stderr)
        return 2
    except OSError as exc:  # a file named on the command line that cannot be read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # an unreadable or missing database: say which, no traceback
        if args.command == "build":
            raise
        print(f"error: cannot read the database at {url}: {exc.__class__.__name__}: {exc}\n"
              "Run `python -m trialdb build` first.", file=sys.stderr)
        return 2


def _sync(args: argparse.Namespace, url: str) -> int:
    from trialdb.progress import Progress
    from trialdb.registry.client import DEFAULT_API, Client, RegistryError
    from trialdb.registry.sync import sync

    api = args.api or os.environ.get("TRIALDB_CTGOV_API") or DEFAULT_API
    client = Client(api, per_minute=args.rate, page_size=args.page_size)
    progress = Progress()
    report = _step(lambda: sync(url, query=args.query, ncts=args.nct, full=args.full, seed_dir=args.seed,
                                client=client, progress=progress), client, progress, RegistryError)
    if report is None:
        return 2
    print(report.summary())
    code = 0 if args.no_pubmed else _pubmed(args.pubmed_api, args.full, args.seed, url)
    if not report.ok:
        print(f"error: {len(report.refused)} record(s) refused (named above); the others were imported.",
              file=sys.stderr)
        return 1
    return code


def _step(run: Callable[[], T], client: Any, progress: Any, fault: type[Exception]) -> T | None:
    """A fetching step's report, or None when it stopped on `fault` (printed, saying nothing was written); the
    client closed and the progress line ended either way."""
    try:
        report = run()
    except fault as exc:
        progress.done()
        print(f"error: {exc}\nNothing was written: the previous database and files are untouched.", file=sys.stderr)
        return None
    finally:
        client.close()
    progress.done()
    return report


def _pubmed(api: str | None, full: bool, seed: Path, url: str) -> int:
    """The PubMed step: what it fetched (exit 0), or why it stopped with nothing written (exit 2)."""
    from trialdb.progress import Progress
    from trialdb.pubmed.client import DEFAULT_API, Client, PubmedError
    from trialdb.pubmed.fetch import pubmed

    client = Client.from_environment(api or os.environ.get("TRIALDB_PUBMED_API") or DEFAULT_API)
    progress = Progress(what="articles", verb="asked PubMed for")
    report = _step(lambda: pubmed(url, seed, full=full, client=client, progress=progress), client, progress,
                   PubmedError)
    if report is None:
        return 2
    print(report.summary())
    return 0


def _changes(args: argparse.Namespace, engine) -> int:
    import json

    from trialdb.registry.changes import as_text, list_changes

    if args.since:
        try:
            dt.date.fromisoformat(args.since)
        except ValueError:
            print(f"error: --since {args.since!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
            return 2
    rows = list_changes(engine, args.since)
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        print("no changes recorded" + (f" since {args.since}" if args.since else "") + " (run `python -m trialdb sync`)")
    for r in rows:
        print(f"{r['detected']}  {r['nct_id']}  {r['field']}: {as_text(r['old']) or '(none)'} -> "
              f"{as_text(r['new']) or '(none)'}  [record updated {r['last_update'] or 'date not stated'}]")
    return 0
