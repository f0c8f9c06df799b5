"""Command line: `python -m trialdb build|check|export|import`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialdb.db import SEED_DIR, database_url, make_engine
from trialdb.errors import SourceError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m trialdb", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    for name, text in (("build", "build the database from seed_data/ (atomically)"),
                       ("check", "verify every quote is verbatim in its document"),
                       ("export", "write the database as JSON (ClinicalTrials.gov API v2 shapes) to stdout")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
        if name == "build":
            p.add_argument("--seed", type=Path, default=SEED_DIR, help="folder of source documents (default: seed_data/)")
    imp = sub.add_parser("import", help="import ClinicalTrials.gov API v2 JSON (a study, a list, a search page)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--db", help="SQLite file (default: $TRIALDB_URL or var/trials.sqlite3)")
    args = ap.parse_args(argv)
    url = database_url(args.db) if args.db else database_url()
    try:
        if args.command == "build":
            from trialdb.build import build

            result = build(url, args.seed)
            print(f"built {result.url}\n{result.report.summary()}")
            return 0
        if args.command == "import":
            from trialdb.importer import import_files

            engine = make_engine(url)
            try:
                print(import_files(engine, args.files).summary())
            finally:
                engine.dispose()
            return 0
        engine = make_engine(url, readonly=True)
        if args.command == "check":
            from trialdb.check import check

            report = check(engine)
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
