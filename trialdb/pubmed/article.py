"""PubMed's efetch XML read as the PubMed DTD means it (https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd),
each fact with the XPath it was read at, so that `check` can prove the fact is still what the file says.

Where each fact comes from (paths under `/PubmedArticleSet/PubmedArticle[n]`):

- `pmid`: `MedlineCitation/PMID`, ASCII digits or the file is refused.
- `title`: `MedlineCitation/Article/ArticleTitle`. The DTD lets a title hold inline markup (`<i>`, `<b>`,
  `<u>`, `<sub>`, `<sup>`, MathML): the title is ALL the element's text joined (`itertext`), so "the <i>TERT</i>
  gene" reads "the TERT gene", never cut at the first tag and never HTML. The same mixed-text rule serves every
  text fact (abstract sections, journal, copyright, ids): the text as published, white space at its two ends
  dropped (indentation, not content).
- `journal`, `journal_iso`: `MedlineCitation/Article/Journal/Title` and `/ISOAbbreviation`.
- `published`: `Journal/JournalIssue/PubDate` as written. The DTD's `PubDate` is `(Year, ((Month, Day?) |
  Season)?) | MedlineDate`: the parts joined by spaces in the file's order ("2019 Aug 5", "2019 08", "2018
  Spring"; a month stays "Aug" or "08"), or the `MedlineDate` verbatim ("2019 Nov-Dec"). `year`: the first
  four-digit year of `PubDate/Year`, else of `PubDate/MedlineDate`; its XPath is that element, or, when the
  year is only part of its text, the XPath 1.0 `substring(<element>, start, 4)` that picks it out.
- `electronic`: `MedlineCitation/Article/ArticleDate[1]` as "YYYY-MM-DD" (the DTD fixes every `ArticleDate`'s
  `DateType` to "Electronic", so the first one is the electronic date even where the attribute is left out).
- `doi`, `pmcid`: `PubmedData/ArticleIdList/ArticleId[@IdType='doi']` and `[@IdType='pmc']`: the DIRECT
  children of the article's own `ArticleIdList`. Each `Reference` of `PubmedData/ReferenceList` carries an
  `ArticleIdList` of its own: those are the ids of the papers it cites, never this one's.
- `authors`: `MedlineCitation/Article/AuthorList/Author[k]`: "LastName Initials" (the initials, else the fore
  name, then any `Suffix`), or the `CollectiveName`. An author with `ValidYN="N"` is one NLM keeps only as
  published in error (PubMed does not show it): left out of `authors`; the others keep their position `k`.
- `abstract`: `MedlineCitation/Article/Abstract/AbstractText[k]`, each with its `Label` and `NlmCategory`
  attributes (None where absent); `copyright`: `Abstract/CopyrightInformation`. `OtherAbstract` is not read.
- `publication_types`: `MedlineCitation/Article/PublicationTypeList/PublicationType[k]`, in order.
- `databanks`: every `MedlineCitation/Article/DataBankList/DataBank[k]/AccessionNumberList/AccessionNumber[j]`
  with its `DataBankName`; `registrations`: those of "ClinicalTrials.gov" that are NCT + 8 digits. An NCT id
  named only in the abstract or in a reference's citation is not a registration.
- `corrections`: `MedlineCitation/CommentsCorrectionsList/CommentsCorrections[k]` (`RefType` RetractionIn,
  ErratumIn, CommentIn, ...; `RefSource`; `PMID`). `retracted`: publication type "Retracted Publication" or a
  RetractionIn correction.

A `PubmedBookArticle` (`/PubmedArticleSet/PubmedBookArticle[n]`) is read from its `BookDocument`: `PMID`,
`ArticleTitle` (else `Book/BookTitle`), `Book/PubDate`, the first `AuthorList` not of editors, `Abstract`,
`PublicationType` (direct children, as the DTD has them), ids from `PubmedBookData/ArticleIdList`; it has no
journal, no data banks and no corrections. A `DeleteCitation` (NLM's update files: PMIDs withdrawn) is ignored:
it is no article. Elements this module does not know are ignored; odd values are kept as text.

Every XPath is absolute, in plain XPath 1.0: steps of an element name with at most one predicate, a position
`[k]` or an attribute test `[@IdType='doi']`, a last step `@Name` for an attribute; `value_at` evaluates them
(the first node matched, as XPath's `string()` does) with the same function per element kind that the reader
used: mixed text, the `PubDate` rule, the `ArticleDate` rule, the `Author` rule, attribute values.

Safety: files are parsed with defusedxml, the DOCTYPE PubMed sends allowed, any entity declaration and any
external reference refused. An XML external entity or an entity bomb stops the parser at its declaration,
before anything is expanded, read from disk or fetched: the file is refused, named, like a file that is not
XML, whose root is not `PubmedArticleSet`, or with an article without a PMID or with one that is not digits.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, tostring

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring as _defused_fromstring  # type: ignore[import-untyped]

from trialdb.errors import SourceError

ROOT = "PubmedArticleSet"
ARTICLE = "PubmedArticle"
BOOK_ARTICLE = "PubmedBookArticle"
_NCT = re.compile(r"NCT[0-9]{8}")
_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_PMID = re.compile(r"[0-9]+")


class PubmedFileError(SourceError):
    """A PubMed file refused: names the file and the XPath where it went wrong (`field`)."""


# ---------------------------------------------------------------------------------------------------------
# The records


@dataclass(frozen=True)
class AbstractSection:
    """One `AbstractText`: its `Label` and `NlmCategory` attributes (None where absent) and all its text."""

    label: str | None
    category: str | None
    text: str
    xpath: str

    @property
    def label_xpath(self) -> str:
        return f"{self.xpath}/@Label"

    @property
    def category_xpath(self) -> str:
        return f"{self.xpath}/@NlmCategory"


@dataclass(frozen=True)
class Author:
    """An `Author` of the `AuthorList`: "LastName Initials" or the `CollectiveName`."""

    name: str
    xpath: str


@dataclass(frozen=True)
class Correction:
    """One `CommentsCorrections`: `RefType` (RetractionIn, ErratumIn, ...), `RefSource`, the other record's PMID."""

    ref_type: str
    ref_source: str | None
    pmid: str | None
    xpath: str

    @property
    def ref_type_xpath(self) -> str:
        return f"{self.xpath}/@RefType"

    @property
    def ref_source_xpath(self) -> str:
        return f"{self.xpath}/RefSource"

    @property
    def pmid_xpath(self) -> str:
        return f"{self.xpath}/PMID"


@dataclass(frozen=True)
class DataBankEntry:
    """One `AccessionNumber` of a `DataBank`, with the bank's `DataBankName`; `xpath` is the accession number's."""

    name: str
    accession: str
    xpath: str

    @property
    def name_xpath(self) -> str:
        return self.xpath.rsplit("/AccessionNumberList/", 1)[0] + "/DataBankName"


@dataclass(frozen=True)
class Fact:
    """One fact of an article as `check` verifies it: `value_at(file, xpath) == value`."""

    name: str
    value: str
    xpath: str


@dataclass(frozen=True)
class Article:
    """One article of a `PubmedArticleSet` (see the module's docstring for where each fact comes from).
    `index` is its position among the set's articles (1-based); `paths` maps each scalar fact present to its
    XPath, `publication_type_paths` gives each publication type's."""

    pmid: str
    title: str | None
    journal: str | None
    journal_iso: str | None
    published: str | None
    year: int | None
    electronic: str | None
    doi: str | None
    pmcid: str | None
    authors: tuple[Author, ...]
    abstract: tuple[AbstractSection, ...]
    copyright: str | None
    publication_types: tuple[str, ...]
    databanks: tuple[DataBankEntry, ...]
    corrections: tuple[Correction, ...]
    index: int
    paths: dict[str, str] = field(hash=False)
    publication_type_paths: tuple[str, ...] = ()

    @property
    def registrations(self) -> tuple[str, ...]:
        """The ClinicalTrials.gov registrations the record names in its `DataBankList`, in order, once each."""
        found = (d.accession for d in self.databanks if d.name == "ClinicalTrials.gov" and _NCT.fullmatch(d.accession))
        return tuple(dict.fromkeys(found))

    @property
    def retracted(self) -> bool:
        return "Retracted Publication" in self.publication_types or any(
            c.ref_type == "RetractionIn" for c in self.corrections
        )

    def facts(self) -> tuple[Fact, ...]:
        """Every fact read, each with its XPath: the scalar ones, then each item of the lists."""
        out = [Fact(name, str(getattr(self, name)), path) for name, path in self.paths.items()]
        for k, a in enumerate(self.authors, 1):
            out.append(Fact(f"authors[{k}]", a.name, a.xpath))
        for k, s in enumerate(self.abstract, 1):
            out.append(Fact(f"abstract[{k}]", s.text, s.xpath))
            if s.label is not None:
                out.append(Fact(f"abstract[{k}].label", s.label, s.label_xpath))
            if s.category is not None:
                out.append(Fact(f"abstract[{k}].category", s.category, s.category_xpath))
        for k, (kind, path) in enumerate(zip(self.publication_types, self.publication_type_paths, strict=True), 1):
            out.append(Fact(f"publication_types[{k}]", kind, path))
        for k, d in enumerate(self.databanks, 1):
            out += [Fact(f"databanks[{k}].name", d.name, d.name_xpath), Fact(f"databanks[{k}]", d.accession, d.xpath)]
        for k, c in enumerate(self.corrections, 1):
            out.append(Fact(f"corrections[{k}].ref_type", c.ref_type, c.ref_type_xpath))
            if c.ref_source is not None:
                out.append(Fact(f"corrections[{k}].ref_source", c.ref_source, c.ref_source_xpath))
            if c.pmid is not None:
                out.append(Fact(f"corrections[{k}].pmid", c.pmid, c.pmid_xpath))
        return tuple(out)


# ---------------------------------------------------------------------------------------------------------
# The value rules: one function per element kind, used by the reader and by value_at alike


def _text(elem: Element) -> str:
    """Mixed content as text: all the element's text, inline markup's included, in order; ends stripped."""
    return "".join(elem.itertext()).strip()


def _published(pubdate: Element) -> str:
    """`PubDate` as written: the `MedlineDate` verbatim, else Year, Month/Day or Season joined by spaces."""
    medline = pubdate.find("MedlineDate")
    if medline is not None:
        return _text(medline)
    parts = (_text(c) for c in pubdate if c.tag in ("Year", "Month", "Day", "Season"))
    return " ".join(p for p in parts if p)


def _iso_date(date: Element) -> str:
    """`ArticleDate` (Year, Month, Day) as "YYYY-MM-DD"; a one-digit month or day gets its zero."""
    parts = [(tag, _text(c)) for tag in ("Year", "Month", "Day") if (c := date.find(tag)) is not None]
    return "-".join(p.zfill(2) if tag != "Year" and p.isdigit() else p for tag, p in parts)


def _author_name(author: Element) -> str:
    """An `Author`: the `CollectiveName`, else LastName and Initials (else ForeName) and any Suffix."""
    collective = author.find("CollectiveName")
    if collective is not None:
        return _text(collective)
    given = author.find("Initials")
    if given is None:
        given = author.find("ForeName")
    parts = [author.find("LastName"), given, author.find("Suffix")]
    return " ".join(t for e in parts if e is not None and (t := _text(e)))


_RULES: dict[str, Callable[[Element], str]] = {"PubDate": _published, "ArticleDate": _iso_date, "Author": _author_name}


def _value(elem: Element) -> str:
    return _RULES.get(elem.tag, _text)(elem)


# ---------------------------------------------------------------------------------------------------------
# XPaths: this module's subset of XPath 1.0, evaluated step by step (ElementTree's own `[k]` predicate builds a
# map of the whole tree at each call, which a set of a thousand articles cannot afford for every fact)

_STEP = re.compile(r"(?P<tag>[A-Za-z_][\w.-]*)(?:\[(?:(?P<n>[1-9][0-9]*)|@(?P<attr>[A-Za-z_][\w.-]*)='(?P<val>[^']*)')\])?")
_ATTRIBUTE = re.compile(r"@(?P<attr>[A-Za-z_][\w.-]*)")
_SUBSTRING = re.compile(r"substring\((?P<path>/[^,()]+), (?P<start>[1-9][0-9]*), (?P<length>[1-9][0-9]*)\)")


def _step(elem: Element, step: str) -> Element | None:
    m = _STEP.fullmatch(step)
    if m is None:
        raise ValueError(f"not a step of this reader's XPaths: {step!r}")
    same = (c for c in elem if c.tag == m["tag"])
    if m["n"]:
        return next((c for k, c in enumerate(same, 1) if k == int(m["n"])), None)
    if m["attr"]:
        return next((c for c in same if c.get(m["attr"]) == m["val"]), None)
    return next(same, None)


def _walk(elem: Element | None, steps: list[str]) -> Element | None:
    for s in steps:
        if elem is None:
            return None
        elem = _step(elem, s)
    return elem


def _evaluate(elem: Element, steps: list[str]) -> str | None:
    """The value at `steps` below `elem`: an attribute's value for a last step `@Name`, else the element's value
    by its kind's rule; None where nothing is there."""
    if steps and (attr := _ATTRIBUTE.fullmatch(steps[-1])):
        found = _walk(elem, steps[:-1])
        return None if found is None else found.get(attr["attr"])
    found = _walk(elem, steps)
    return None if found is None else _value(found)


def value_at(root_or_text: Element | str | bytes, xpath: str) -> str | None:
    """The value at one of this module's XPaths in a PubMed file (its text or its parsed root), exactly as
    `read_set` computed it; None where the file has nothing there. Raises ValueError for an XPath of another
    form and PubmedFileError for a file refused."""
    root = root_or_text if isinstance(root_or_text, Element) else parse(root_or_text, "(text)")
    sub = _SUBSTRING.fullmatch(xpath)
    path = sub["path"] if sub else xpath
    steps = path.split("/")
    if len(steps) < 2 or steps[0] != "" or steps[1] != ROOT or (sub and _ATTRIBUTE.fullmatch(steps[-1])):
        raise ValueError(f"not an XPath of this reader: {xpath!r}")
    if root.tag != ROOT:
        return None
    if sub is None:
        return _evaluate(root, steps[2:])
    found = _walk(root, steps[2:])
    if found is None:
        return None
    start = int(sub["start"]) - 1  # XPath's substring() counts characters from 1, of the string-value
    return "".join(found.itertext())[start : start + int(sub["length"])]


def fact_holds(text: str | bytes, xpath: str, quote: str, name: str = "(text)") -> bool:
    """Whether the file `text` still says `quote` at `xpath` (the value `read_set` would read there)."""
    return value_at(parse(text, name), xpath) == quote


# ---------------------------------------------------------------------------------------------------------
# Reading


def parse(data: str | bytes, name: str) -> Element:
    """The file's root, parsed safely: the DOCTYPE allowed, entity declarations and external references refused
    (PubmedFileError naming `name`). Parse a file once and give the root to `value_at` for each of its facts."""
    try:
        root: Element = _defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PubmedFileError(name, "/", getattr(exc, "name", None) or type(exc).__name__,
                              f"refused: the file declares an entity or refers outside itself ({type(exc).__name__})"
                              ) from None
    except ParseError as exc:
        raise PubmedFileError(name, "/", "line {}, column {}".format(*exc.position), f"not XML: {exc}") from None
    if root.tag != ROOT:
        raise PubmedFileError(name, f"/{root.tag}", root.tag, f"the root is not {ROOT}")
    return root


def _articles(root: Element) -> Iterator[tuple[Element, str]]:
    """Each PubmedArticle and PubmedBookArticle of the set with its XPath, in order (DeleteCitation and what
    else the set holds left out)."""
    counts = {ARTICLE: 0, BOOK_ARTICLE: 0}
    for child in root:
        if child.tag in counts:
            counts[child.tag] += 1
            yield child, f"/{ROOT}/{child.tag}[{counts[child.tag]}]"


class _Reader:
    """Reads one article element whose XPath is `base`; records each scalar fact's XPath in `paths`."""

    def __init__(self, elem: Element, base: str, name: str) -> None:
        self.elem, self.base, self.name = elem, base, name
        self.paths: dict[str, str] = {}

    def path(self, rel: str) -> str:
        return f"{self.base}/{rel}"

    def scalar(self, fact: str, *rels: str) -> str | None:
        """The first of `rels` (paths below the article) that is there, its XPath recorded for `fact`."""
        for rel in rels:
            value = _evaluate(self.elem, rel.split("/"))
            if value is not None:
                self.paths[fact] = self.path(rel)
                return value
        return None

    def pmid(self, rel: str) -> str:
        value = self.scalar("pmid", rel)
        if value is None:
            raise PubmedFileError(self.name, self.path(rel), None, "the article has no PMID")
        if not _PMID.fullmatch(value):
            raise PubmedFileError(self.name, self.path(rel), value, "the PMID is not digits")
        return value

    def year(self, pubdate_rel: str) -> int | None:
        """The first four-digit year of PubDate/Year, else of PubDate/MedlineDate, with the XPath that selects it."""
        for tag in ("Year", "MedlineDate"):
            rel = f"{pubdate_rel}/{tag}"
            found = _walk(self.elem, rel.split("/"))
            if found is None:
                continue
            m = _YEAR.search("".join(found.itertext()))
            if m is None:
                return None
            exact = m.group() == _text(found)
            self.paths["year"] = self.path(rel) if exact else f"substring({self.path(rel)}, {m.start() + 1}, 4)"
            return int(m.group())
        return None

    def children(self, rel: str, tag: str) -> Iterator[tuple[Element, str]]:
        """The `tag` children of the element at `rel`, each with its XPath (position among its `tag` siblings)."""
        parent = _walk(self.elem, rel.split("/")) if rel else self.elem
        if parent is None:
            return
        k = 0
        for child in parent:
            if child.tag == tag:
                k += 1
                yield child, self.path(f"{rel}/{tag}[{k}]" if rel else f"{tag}[{k}]")

    def authors(self, rel: str) -> tuple[Author, ...]:
        return tuple(Author(_value(a), path) for a, path in self.children(rel, "Author") if a.get("ValidYN") != "N")

    def abstract(self, rel: str) -> tuple[AbstractSection, ...]:
        return tuple(
            AbstractSection(s.get("Label"), s.get("NlmCategory"), _value(s), path)
            for s, path in self.children(rel, "AbstractText")
        )

    def publication_types(self, rel: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found = list(self.children(rel, "PublicationType"))
        return tuple(_value(p) for p, _ in found), tuple(path for _, path in found)


def _optional_text(elem: Element, tag: str) -> str | None:
    found = elem.find(tag)
    return None if found is None else _value(found)


def _databanks(r: _Reader, rel: str) -> tuple[DataBankEntry, ...]:
    out: list[DataBankEntry] = []
    for k, (bank, _) in enumerate(r.children(rel, "DataBank"), 1):
        name = _optional_text(bank, "DataBankName") or ""
        numbers = f"{rel}/DataBank[{k}]/AccessionNumberList"
        out += [DataBankEntry(name, _value(a), path) for a, path in r.children(numbers, "AccessionNumber")]
    return tuple(out)


def _corrections(r: _Reader, rel: str) -> tuple[Correction, ...]:
    return tuple(
        Correction(c.get("RefType") or "", _optional_text(c, "RefSource"), _optional_text(c, "PMID"), path)
        for c, path in r.children(rel, "CommentsCorrections")
    )


def _read_article(elem: Element, base: str, index: int, name: str) -> Article:
    r = _Reader(elem, base, name)
    if elem.tag == BOOK_ARTICLE:
        doc, ids = "BookDocument", "PubmedBookData/ArticleIdList"
        pmid = r.pmid(f"{doc}/PMID")
        title = r.scalar("title", f"{doc}/ArticleTitle", f"{doc}/Book/BookTitle")
        journal = journal_iso = None
        pubdate, article_date = f"{doc}/Book/PubDate", None
        authors_rel = next((f"{doc}/AuthorList[{k}]" for k, (a, _) in enumerate(r.children(doc, "AuthorList"), 1)
                            if a.get("Type") != "editors"), None)
        abstract_rel, types_rel, banks_rel, corrections_rel = f"{doc}/Abstract", doc, None, None
    else:
        cit = "MedlineCitation"
        art = f"{cit}/Article"
        ids = "PubmedData/ArticleIdList"
        pmid = r.pmid(f"{cit}/PMID")
        title = r.scalar("title", f"{art}/ArticleTitle")
        journal = r.scalar("journal", f"{art}/Journal/Title")
        journal_iso = r.scalar("journal_iso", f"{art}/Journal/ISOAbbreviation")
        pubdate, article_date = f"{art}/Journal/JournalIssue/PubDate", f"{art}/ArticleDate[1]"
        authors_rel, abstract_rel = f"{art}/AuthorList", f"{art}/Abstract"
        types_rel, banks_rel = f"{art}/PublicationTypeList", f"{art}/DataBankList"
        corrections_rel = f"{cit}/CommentsCorrectionsList"
    published = r.scalar("published", pubdate)
    year = r.year(pubdate)
    electronic = r.scalar("electronic", article_date) if article_date else None
    doi = r.scalar("doi", f"{ids}/ArticleId[@IdType='doi']")
    pmcid = r.scalar("pmcid", f"{ids}/ArticleId[@IdType='pmc']")
    copyright_ = r.scalar("copyright", f"{abstract_rel}/CopyrightInformation")
    types, type_paths = r.publication_types(types_rel)
    return Article(
        pmid=pmid, title=title, journal=journal, journal_iso=journal_iso, published=published, year=year,
        electronic=electronic, doi=doi, pmcid=pmcid,
        authors=r.authors(authors_rel) if authors_rel else (),
        abstract=r.abstract(abstract_rel), copyright=copyright_, publication_types=types,
        databanks=_databanks(r, banks_rel) if banks_rel else (),
        corrections=_corrections(r, corrections_rel) if corrections_rel else (),
        index=index, paths=r.paths, publication_type_paths=type_paths,
    )


def _read_root(root: Element, name: str) -> list[tuple[Article, Element, str]]:
    """Each article of the set read, with its element and its XPath."""
    return [(_read_article(elem, base, k, name), elem, base) for k, (elem, base) in enumerate(_articles(root), 1)]


def read_set(data: bytes, name: str) -> list[Article]:
    """The articles of a PubMed efetch file (a `PubmedArticleSet`), in order. `name` names the file in errors.
    Raises PubmedFileError for a file refused (see the module's docstring)."""
    return [a for a, _, _ in _read_root(parse(data, name), name)]


# ---------------------------------------------------------------------------------------------------------
# Splitting a set into one file an article

_ROOT_START = re.compile(rb"<PubmedArticleSet(?:\s[^>]*)?>")
_ARTICLE_SPAN = re.compile(rb"<(PubmedArticle|PubmedBookArticle)(?:\s[^>]*)?>.*?</\1\s*>", re.S)


def _detached(elem: Element) -> bytes:
    """The element serialised without what follows it (its tail), for comparing two parses of it."""
    alone = copy.copy(elem)
    alone.tail = None
    return tostring(alone)


def split_set(data: bytes, name: str) -> dict[str, bytes]:
    """PMID -> a file of its own holding that one article as NCBI sent it: the input's XML declaration and
    DOCTYPE, its `<PubmedArticleSet>` start tag, the article's bytes sliced verbatim from the input, and the
    end tag. Each part is parsed again and must hold the very element the set holds; a PMID twice in the set is
    refused (one file each could not say which is meant)."""
    read = _read_root(parse(data, name), name)
    start = _ROOT_START.search(data)
    spans = [m.group() for m in _ARTICLE_SPAN.finditer(data, start.end())] if start else []
    if start is None or len(spans) != len(read):
        raise PubmedFileError(name, f"/{ROOT}", len(spans), f"the articles' tags do not slice into {len(read)} articles")
    head = data[: start.end()]
    parts: dict[str, bytes] = {}
    for (article, elem, where), span in zip(read, spans, strict=True):
        if article.pmid in parts:
            raise PubmedFileError(name, article.paths["pmid"], article.pmid, "the PMID stands twice in the set")
        part = head + b"\n" + span + b"\n</PubmedArticleSet>\n"
        alone = list(parse(part, f"{name} ({article.pmid})"))
        if len(alone) != 1 or _detached(alone[0]) != _detached(elem):
            raise PubmedFileError(name, where, article.pmid, "the article's bytes do not slice out as it parses")
        parts[article.pmid] = part
    return parts
