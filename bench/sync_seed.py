"""A copy of seed_data/ with `--records` synced registry records in its registry/ folder, for timing the
build (and the app's cold start) as Streamlit Community Cloud meets it: every restart rebuilds the database
from seed_data/, records included.

The records are the real ones of tests/fixtures/ctgov/ (tests.ctgov_server.copies), each under an NCT id
of its own (NCT9xxxxxxx), written exactly as `python -m trialdb sync` writes them:
`{"fetchedAt": ..., "study": {...}}`, indented by 2, one file per study named by its NCT id, with their
sha256 in registry/SHA256SUMS. With `--articles N`, N PubMed articles in pubmed/ as `python -m trialdb pubmed`
writes them (one `<PMID>.xml` each, SHA256SUMS beside): the four real records of tests/fixtures/pubmed/ in turn,
each under a PMID of its own (9xxxxxxx) and naming one of the synced trials in its DataBankList. The
repository's own seed_data/ is never written to.

    python bench/sync_seed.py --records 1000 --articles 500 --out /tmp/seed1000
    python -m trialdb build --seed /tmp/seed1000 --db /tmp/seed1000.sqlite3
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.ctgov_server import copies  # noqa: E402
from trialdb.pubmed.folder import write_articles  # noqa: E402
from trialdb.registry.folder import update_manifest  # noqa: E402

FETCHED_AT = "2026-11-23T05:17:00Z"


def write_seed_copy(out: Path, records: int, articles: int = 0) -> Path:
    """seed_data/ copied to `out` (replaced if there), without its registry records, plus `records` synced
    record files in out/registry/ and `articles` PubMed article files in out/pubmed/. Returns `out`."""
    out = out.resolve()
    if out == (REPO / "seed_data").resolve():
        raise ValueError("refusing to write into the repository's seed_data/")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(REPO / "seed_data", out, ignore=shutil.ignore_patterns("NCT*.json", "changes.json", "SHA256SUMS"))
    folder = out / "registry"
    folder.mkdir(exist_ok=True)
    texts = {f"{nct}.json": json.dumps({"fetchedAt": FETCHED_AT, "study": study}, ensure_ascii=False, indent=2) + "\n"
             for nct, study in copies(records).items()}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    update_manifest(folder, texts)
    if articles:
        write_articles(out, article_copies(articles, [n.removesuffix(".json") for n in texts]))
    return out


def article_copies(n: int, ncts: list[str]) -> dict[str, bytes]:
    """`n` one-article files: the real records of tests/fixtures/pubmed/ in turn, the k-th under PMID 9000000k+1
    (its PMID and own pubmed ArticleId replaced) naming ncts[k % len(ncts)] in a DataBankList."""
    real = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures" / "pubmed").glob("*.xml"))]
    out = {}
    for k in range(n):
        text, pmid = real[k % len(real)], f"{90_000_001 + k}"
        old = re.search(r'<PMID Version="\d+">(\d+)</PMID>', text)
        assert old, "a real record without a PMID"
        text = text.replace(old.group(0), f'<PMID Version="1">{pmid}</PMID>', 1)
        text = text.replace(f'<ArticleId IdType="pubmed">{old.group(1)}</ArticleId>',
                            f'<ArticleId IdType="pubmed">{pmid}</ArticleId>', 1)
        if ncts:
            bank = ('<DataBankList CompleteYN="Y"><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>'
                    f"<AccessionNumberList><AccessionNumber>{ncts[k % len(ncts)]}</AccessionNumber>"
                    "</AccessionNumberList></DataBank></DataBankList>")
            text = re.sub(r"(<PublicationTypeList>)", bank + r"\1", text, count=1)
        out[pmid] = text.encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000)
    ap.add_argument("--articles", type=int, default=0, help="PubMed articles in pubmed/ (default none)")
    ap.add_argument("--out", type=Path, required=True, help="the folder to write (replaced when it exists)")
    args = ap.parse_args(argv)
    out = write_seed_copy(args.out, args.records, args.articles)
    print(f"wrote {args.records} synced records to {out / 'registry'}"
          + (f" and {args.articles} PubMed articles to {out / 'pubmed'}" if args.articles else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
