"""The PubMed folder of seed_data/: one file per article, `<PMID>.xml`, each a `PubmedArticleSet` of one
article exactly as NCBI's efetch sent it (its XML declaration and DOCTYPE, the article's bytes unchanged), and
SHA256SUMS beside them (the format `sha256sum -c` reads), as the registry folder has.

`python -m trialdb pubmed` and the sync write here; every build reads the folder, so a rebuild from
seed_data/ (a Cloud wake-up included) loses nothing. The build trusts a file whose sha256 is the one
SHA256SUMS gives (its facts were verified when it was fetched) and stops on a file changed since;
`python -m trialdb check` verifies every fact of every file again."""

from __future__ import annotations

import re
from pathlib import Path

from trialdb.errors import SourceError
from trialdb.pubmed.article import Article, read_set
from trialdb.registry.folder import MANIFEST, files_changed, read_manifest, update_manifest, write_atomically
from trialdb.sources.documents import SourceDocument

PUBMED = "pubmed"  # the folder under seed_data/, and the prefix of its documents' names
FORMAT = "PubMed XML"  # documents.format of a file of seed_data/pubmed/
IMPORTED = "PubMed XML, imported"  # documents.format of a file given to `python -m trialdb import` (kept across builds)
FORMATS = (FORMAT, IMPORTED)
ARTICLE_NAME = re.compile(r"[1-9]\d{0,9}\.xml")


def folder_of(seed_dir: Path) -> Path:
    return seed_dir / PUBMED


def stored_pmids(seed_dir: Path) -> set[str]:
    """The PMIDs with a file in seed_data/pubmed/."""
    folder = folder_of(seed_dir)
    return {p.stem for p in folder.glob("*.xml") if ARTICLE_NAME.fullmatch(p.name)} if folder.is_dir() else set()


def write_articles(seed_dir: Path, parts: dict[str, bytes]) -> None:
    """Write each {PMID: one-article file} atomically and record its sha256 in SHA256SUMS. The bytes must be
    UTF-8 (PubMed's efetch XML is): a file that is not is refused before anything is written."""
    texts = {}
    for pmid, data in parts.items():
        try:
            texts[f"{pmid}.xml"] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{PUBMED}/{pmid}.xml", "encoding", data[exc.start:exc.start + 8],
                              f"not UTF-8 at byte {exc.start}") from None
    folder = folder_of(seed_dir)
    for name, text in texts.items():
        write_atomically(folder / name, text)
    if texts:
        update_manifest(folder, texts, ARTICLE_NAME)


def read_document(path: Path, prefix: str = "") -> tuple[SourceDocument, list[Article]]:
    """A PubMed efetch file (one article or many) as a source document named `prefix + file name`, and its
    articles (trialdb.pubmed.article.read_set: refuses a hostile or malformed file, naming it and the path)."""
    doc = SourceDocument.read(path)
    doc.name = prefix + path.name
    return doc, read_set(doc.text.encode("utf-8"), doc.name)


def changed_files(seed_dir: Path) -> list[tuple[str, str, str]]:
    """(file, "sha256", what) for each file of seed_data/pubmed/ whose content is not the one the fetch wrote,
    or that it never wrote: what `check` reports about the folder."""
    return files_changed(folder_of(seed_dir), "*.xml", ARTICLE_NAME, "a PubMed fetch")


def article_documents(seed_dir: Path) -> tuple[list[tuple[SourceDocument, list[Article]]], set[str]]:
    """Every file of seed_data/pubmed/ read (names prefixed "pubmed/"), in PMID order, and the names of those
    whose sha256 SHA256SUMS gives. A file whose sha256 differs, or whose name is not `<PMID>.xml` for the
    one article it holds, stops the build (SourceError naming it)."""
    folder = folder_of(seed_dir)
    if not folder.is_dir():
        return [], set()
    sums = read_manifest(folder, ARTICLE_NAME)
    docs, trusted = [], set()
    for p in sorted(folder.glob("*.xml"), key=lambda p: (len(p.stem), p.stem)):
        if not ARTICLE_NAME.fullmatch(p.name):
            raise SourceError(f"{PUBMED}/{p.name}", "file name", p.name, "not <PMID>.xml")
        doc, articles = read_document(p, f"{PUBMED}/")
        if [a.pmid for a in articles] != [p.stem]:
            raise SourceError(doc.name, "/PubmedArticleSet", [a.pmid for a in articles],
                              f"a file of the folder holds one article, PMID {p.stem}")
        if p.name in sums:
            if sums[p.name] != doc.sha256:
                raise SourceError(doc.name, "sha256", doc.sha256,
                                  f"changed since it was fetched ({MANIFEST} gives {sums[p.name]}); "
                                  "run `python -m trialdb pubmed --full`, never edit a record by hand")
            trusted.add(doc.name)
        docs.append((doc, articles))
    return docs, trusted
