"""The library-catalogue record of a publication (PubMed-derived): `field | value |` rows, the
abstract in the `description` row, journal and dates inside the `spelling` row."""

from __future__ import annotations

import re

from trialdb.errors import SourceError
from trialdb.sources.documents import Parsed, Quote, SourceDocument

ROW = re.compile(r"^([A-Za-z_]+) \| (.*?) ?\|$", re.M)
REQUIRED = ("title", "author", "description", "url", "publishDate", "spelling", "topic", "publisher")


def recognises(doc: SourceDocument) -> bool:
    return bool(re.search(r"^description \| ", doc.text, re.M)) and "record_format |" in doc.text


def _authors(value: str) -> list[str]:
    # "He, Jing Zhang, Ruijun ...": each author is "Surname, Given" with a one-word given name.
    names = re.findall(r"([^,]+?), (\S+)(?: |$)", value)
    if not names or " ".join(f"{s}, {g}" for s, g in names) != value:
        raise SourceError("", "author", value, "authors are not a run of 'Surname, Given'")
    return [f"{s.strip()}, {g}" for s, g in names]


def parse(doc: SourceDocument) -> Parsed:
    f = doc.name
    rows: dict[str, tuple[str, Quote]] = {}
    offset: dict[str, int] = {}  # where each row's value starts in the document
    for row in ROW.finditer(doc.text):
        if row.group(1) not in rows:
            rows[row.group(1)] = (row.group(2), Quote(f, row.group(2), row.start(2)))
            offset[row.group(1)] = row.start(2)
    for key in REQUIRED:
        if not rows.get(key, ("",))[0]:
            raise SourceError(f, key, None, "catalogue row missing or empty")
    p = Parsed("publication", doc, {})
    val = {k: v[0] for k, v in rows.items()}
    q = {k: v[1] for k, v in rows.items()}
    p.put("title", val["title"], q["title"])
    p.put("abstract", val["description"], q["description"])
    try:
        authors = _authors(val["author"])
    except SourceError as exc:
        raise SourceError(f, exc.field, exc.value, exc.problem) from None
    p.put("authors", authors, q["author"])
    if not re.fullmatch(r"\d{4}", val["publishDate"]):
        raise SourceError(f, "publishDate", val["publishDate"], "not a year")
    p.put("year", int(val["publishDate"]), q["publishDate"])
    p.put("publisher", val["publisher"], q["publisher"])

    url = val["url"]
    for key, pattern in (("pmid", r"/pubmed/(\d+)"), ("pmcid", r"/pmc/articles/(PMC\d+)"),
                         ("doi", r"doi\.org/(10\.\d{4,9}/\S+)")):
        if link := re.search(pattern, url):
            p.put(key, link.group(1), Quote(f, link.group(0), offset["url"] + link.start()))
    if "pmid" not in p.record:
        raise SourceError(f, "url", url, "no PubMed link")

    # spelling = id, title, authors, journal, topic, abstract, publisher, print date, epub date, links, rights
    spelling = val["spelling"]
    after_authors = spelling.find(val["author"])
    topic_at = spelling.find(" " + val["topic"] + " ", after_authors)
    if after_authors < 0 or topic_at < 0:
        raise SourceError(f, "spelling", spelling[:80], "journal not found between authors and topic")
    start = after_authors + len(val["author"])
    journal = spelling[start:topic_at].strip()
    p.put("journal", journal, Quote(f, journal, offset["spelling"] + spelling.index(journal, start)))
    dates = re.search(re.escape(val["publisher"]) + r" (\d{4}(?:-\d{2}){0,2}) (\d{4}-\d{2}-\d{2}) /pmc/", spelling)
    if dates:
        p.put("printDate", dates.group(1), Quote(f, dates.group(0), offset["spelling"] + dates.start()))
        p.put("epubDate", dates.group(2), Quote(f, dates.group(0), offset["spelling"] + dates.start()))
    if text_en := re.search(r"Text en (.*)$", spelling):
        rights, at = text_en.group(1), offset["spelling"] + text_en.start(1)
        p.put("rights", rights, Quote(f, rights, at))
        if lic := re.search(r"\((CC [A-Z-]+ \d\.\d)\) license", rights):
            p.put("licence", lic.group(1), Quote(f, lic.group(0), at + lic.start()))
        if cc := re.search(r"https?://creativecommons\.org/licenses/[\w./-]+/", rights):
            p.put("licenceUrl", cc.group(0), Quote(f, cc.group(0), at + cc.start()))
    for i, nct in enumerate(dict.fromkeys(re.findall(r"NCT\d{8}", val["description"]))):
        p.put(f"registrations[{i}]", nct, Quote(f, nct, offset["description"] + val["description"].index(nct)))
    return p
