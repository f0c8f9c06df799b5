"""trialdb.pubmed.article: PubMed's efetch XML read as the PubMed DTD means it, each fact with its XPath.

Four real records (tests/fixtures/pubmed/, as NCBI sent them) and small records built on the DTD
(tests/fixtures/pubmed/built/, each named in its README): what is read, where from, that every fact read holds
in its file by its XPath and stops holding once the file says otherwise, that a set splits into files that read
the same, and that every refusal names the file and the path, hostile files quickly and without reading
anything."""

from __future__ import annotations

import builtins
import dataclasses
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialdb.errors import SourceError
from trialdb.pubmed.article import (
    AbstractSection,
    Article,
    Author,
    Correction,
    DataBankEntry,
    PubmedFileError,
    fact_holds,
    read_set,
    split_set,
    value_at,
)

HERE = Path(__file__).parent / "fixtures" / "pubmed"
BUILT = HERE / "built"
REAL = sorted(HERE.glob("*.xml"))
REFUSED = {"no_pmid.xml", "pmid_12a4.xml", "wrong_root.xml", "not_xml.xml", "xxe.xml", "billion_laughs.xml"}
READABLE = REAL + sorted(p for p in BUILT.glob("*.xml") if p.name not in REFUSED)
A1 = "/PubmedArticleSet/PubmedArticle[1]"


def one(path: Path) -> Article:
    [article] = read_set(path.read_bytes(), path.name)
    return article


def built(name: str) -> Article:
    return one(BUILT / name)


# ---------------------------------------------------------------------------------------------------------
# The real records


def test_27797938_title_markup_kept_as_text_and_its_sections_ids_and_dates() -> None:
    a = one(HERE / "27797938.xml")
    assert a.pmid == "27797938"
    # `<i>TERT</i>` inside the title: all its text, never cut at the tag, never HTML
    assert a.title == "Leucocyte telomere length, genetic variants at the TERT gene region and risk of pancreatic cancer."
    assert a.paths["title"] == f"{A1}/MedlineCitation/Article/ArticleTitle"
    assert (a.journal, a.journal_iso) == ("Gut", "Gut")
    assert (a.published, a.year, a.electronic) == ("2017 06", 2017, "2016-10-21")
    assert a.paths["electronic"] == f"{A1}/MedlineCitation/Article/ArticleDate[1]"
    assert (a.doi, a.pmcid) == ("10.1136/gutjnl-2016-312510", "PMC5442267")
    assert a.paths["pmcid"] == f"{A1}/PubmedData/ArticleIdList/ArticleId[@IdType='pmc']"
    # labelled sections without NlmCategory; <sub> and <sup> inside them joined as text
    assert [(s.label, s.category) for s in a.abstract] == [
        ("OBJECTIVE", None), ("DESIGN", None), ("RESULTS", None), ("CONCLUSIONS", None)]
    results = a.abstract[2]
    assert "95% CI 1.07 to 2.78; ptrend=0.048)" in results.text
    assert "(linkage disequilibrium r2<0.25)" in results.text
    assert "<" + "sub>" not in results.text and "&lt;" not in results.text
    assert results.xpath == f"{A1}/MedlineCitation/Article/Abstract/AbstractText[3]"
    assert a.abstract[0].text.startswith("Telomere shortening occurs") and "(TERT) gene region" in a.abstract[0].text
    assert a.copyright is not None and a.copyright.startswith("Published by the BMJ Publishing Group Limited.")
    assert len(a.authors) == 22 and a.authors[0] == Author("Bao Y", f"{A1}/MedlineCitation/Article/AuthorList/Author[1]")
    assert a.publication_types[:2] == ("Journal Article", "Observational Study")
    assert (a.databanks, a.registrations, a.retracted, a.index) == ((), (), False, 1)
    # the DTD of 2018 listed the cited papers as CommentsCorrections RefType="Cites": kept as published
    assert a.corrections[0] == Correction("CommentIn", "Gut. 2017 Jun;66(6):1", "27920200",
                                          f"{A1}/MedlineCitation/CommentsCorrectionsList/CommentsCorrections[1]")
    assert {c.ref_type for c in a.corrections[1:]} == {"Cites"}


def test_28775130_sections_carry_label_and_nlm_category() -> None:
    a = one(HERE / "28775130.xml")
    assert [(s.label, s.category) for s in a.abstract] == [
        ("OBJECTIVES", "OBJECTIVE"), ("METHODS", "METHODS"), ("RESULTS", "RESULTS"), ("CONCLUSIONS", "CONCLUSIONS")]
    assert a.abstract[3].text.startswith("Our results suggest that long-term exposure to aldrin")
    assert (a.published, a.year, a.pmcid, a.journal_iso) == ("2018 Feb", 2018, "PMC5771820", "Occup Environ Med")
    assert value_at((HERE / "28775130.xml").read_bytes(), a.abstract[0].category_xpath) == "OBJECTIVE"


def test_29226023_own_ids_not_the_references_ids() -> None:
    data = (HERE / "29226023.xml").read_bytes()
    a = one(HERE / "29226023.xml")
    assert (a.pmid, a.doi, a.pmcid) == ("29226023", "10.4172/2161-1122.1000448", "PMC5722253")
    # the file holds other papers' PMC ids, in its references' own ArticleIdLists
    others = set(re.findall(rb'<ArticleId IdType="pmc">(PMC\d+)</ArticleId>', data)) - {b"PMC5722253"}
    assert b"PMC4760014" in others and b"PMC5347299" in others
    assert data.index(b"<ReferenceList>") < data.index(b"PMC4760014")
    # without its own pmc id the article has none: a reference's is never taken for it
    mine = b'<ArticleId IdType="pmc">PMC5722253</ArticleId>'
    [stripped] = read_set(data.replace(mine, b""), "29226023-no-own-pmc.xml")
    assert stripped.pmcid is None and stripped.doi == "10.4172/2161-1122.1000448"
    assert (a.abstract[0].label, a.abstract[0].category) == ("AIMS", "OBJECTIVE")
    assert (a.published, a.electronic) == ("2017 Aug", "2017-08-29")


def test_33856845_short_systematic_review() -> None:
    a = one(HERE / "33856845.xml")
    assert a.title == ("Impact of insight and metacognition on vocational rehabilitation of individuals with severe "
                       "mental illness: A systematic review.")
    assert a.publication_types == ("Journal Article", "Systematic Review")
    assert [x.name for x in a.authors] == ["Manoli R", "Cervello S", "Franck N"]
    assert a.abstract[3].label == "CONCLUSIONS AND IMPLICATIONS FOR PRACTICE"
    assert a.abstract[3].category == "CONCLUSIONS"
    assert (a.pmcid, a.copyright, a.published, a.electronic) == (None, None, "2021 Dec", "2021-04-15")
    assert "pmcid" not in a.paths and "copyright" not in a.paths


# ---------------------------------------------------------------------------------------------------------
# The built records: dates, corrections, data banks, authors, a book


def test_medline_date_kept_verbatim_year_its_first_four_digits() -> None:
    a = built("medline_date.xml")
    assert (a.published, a.year) == ("2019 Nov-Dec", 2019)
    pubdate = f"{A1}/MedlineCitation/Article/Journal/JournalIssue/PubDate"
    assert a.paths["published"] == pubdate
    assert a.paths["year"] == f"substring({pubdate}/MedlineDate, 1, 4)"
    assert value_at((BUILT / "medline_date.xml").read_bytes(), a.paths["year"]) == "2019"


def test_season_and_a_month_in_digits_kept_as_written() -> None:
    s = built("season.xml")
    assert (s.published, s.year) == ("2018 Spring", 2018)
    assert s.paths["year"].endswith("/PubDate/Year")
    m = built("month_digits.xml")
    assert (m.published, m.year, m.electronic) == ("2019 08 05", 2019, "2019-07-01")


def test_retraction_and_erratum() -> None:
    r = built("retracted.xml")
    assert r.retracted and "Retracted Publication" in r.publication_types
    assert r.corrections == (Correction("RetractionIn", "J Built Rec. 2021 Jan;3(1):9", "90000099",
                                        f"{A1}/MedlineCitation/CommentsCorrectionsList/CommentsCorrections[1]"),)
    e = built("erratum.xml")
    assert not e.retracted
    assert [(c.ref_type, c.pmid) for c in e.corrections] == [("ErratumIn", "90000098"), ("CommentIn", None)]
    # a RetractionIn alone makes an article retracted too
    data = (BUILT / "erratum.xml").read_bytes().replace(b'"ErratumIn"', b'"RetractionIn"')
    assert read_set(data, "erratum-as-retraction.xml")[0].retracted


def test_databanks_and_the_registration_among_them() -> None:
    a = built("databanks.xml")
    bank = f"{A1}/MedlineCitation/Article/DataBankList/DataBank"
    assert a.databanks == (
        DataBankEntry("ClinicalTrials.gov", "NCT02465580", f"{bank}[1]/AccessionNumberList/AccessionNumber[1]"),
        DataBankEntry("ISRCTN", "ISRCTN00000006", f"{bank}[2]/AccessionNumberList/AccessionNumber[1]"),
    )
    assert a.registrations == ("NCT02465580",)
    assert a.databanks[0].name_xpath == f"{bank}[1]/DataBankName"
    # an accession number of ClinicalTrials.gov that is not NCT + 8 digits is a data bank entry, no registration
    odd = (BUILT / "databanks.xml").read_bytes().replace(b">NCT02465580<", b">NCT0246558<")
    [b] = read_set(odd, "odd-nct.xml")
    assert b.databanks[0].accession == "NCT0246558" and b.registrations == ()


def test_an_nct_id_in_the_abstract_or_a_reference_is_no_registration() -> None:
    a = built("nct_in_text.xml")
    data = (BUILT / "nct_in_text.xml").read_bytes()
    assert data.count(b"NCT02465580") == 2 and "NCT02465580" in a.abstract[0].text
    assert a.registrations == () and a.databanks == ()
    assert (a.doi, a.pmcid) == ("10.0000/built.90000007", None)  # the reference's doi and pmc are another paper's


def test_collective_name_and_an_invalid_author() -> None:
    a = built("collective_author.xml")
    authors = f"{A1}/MedlineCitation/Article/AuthorList/Author"
    # ValidYN="N" (Author[3]) is left out; the others keep their positions
    assert a.authors == (Author("Low-Dose IL-2 Study Group", f"{authors}[1]"), Author("He J", f"{authors}[2]"),
                         Author("Smith JA Jr", f"{authors}[4]"))


def test_book_article_read_from_its_book_document() -> None:
    a = built("book_article.xml")
    doc = "/PubmedArticleSet/PubmedBookArticle[1]/BookDocument"
    assert (a.pmid, a.title, a.journal, a.journal_iso) == ("90000020", "Low-dose IL-2 in autoimmune disease", None, None)
    assert (a.published, a.year, a.electronic) == ("2020 Mar", 2020, None)
    assert a.paths["title"] == f"{doc}/ArticleTitle" and a.paths["published"] == f"{doc}/Book/PubDate"
    assert a.authors == (Author("Writer W", f"{doc}/AuthorList[1]/Author[1]"),)  # not the book's editor
    assert a.publication_types == ("Review",) and a.publication_type_paths == (f"{doc}/PublicationType[1]",)
    assert a.abstract == (AbstractSection("SUMMARY", None, "A built chapter about regulatory T cells.",
                                          f"{doc}/Abstract/AbstractText[1]"),)
    assert a.copyright == "Copyright 2020, Built Press."
    assert (a.doi, a.pmcid, a.databanks, a.corrections) == (None, None, (), ())
    # without an ArticleTitle the book's title stands in
    data = (BUILT / "book_article.xml").read_bytes()
    no_chapter = re.sub(rb"<ArticleTitle[^>]*>.*?</ArticleTitle>", b"", data)
    [b] = read_set(no_chapter, "book-no-chapter.xml")
    assert (b.title, b.paths["title"]) == ("Built Reviews", f"{doc}/Book/BookTitle")


def test_a_set_of_three_index_and_paths() -> None:
    articles = read_set((BUILT / "three_articles.xml").read_bytes(), "three_articles.xml")
    assert [(a.pmid, a.index) for a in articles] == [("90000011", 1), ("90000020", 2), ("90000013", 3)]
    assert [a.paths["pmid"] for a in articles] == [
        "/PubmedArticleSet/PubmedArticle[1]/MedlineCitation/PMID",
        "/PubmedArticleSet/PubmedBookArticle[1]/BookDocument/PMID",
        "/PubmedArticleSet/PubmedArticle[2]/MedlineCitation/PMID",
    ]
    assert articles[0].title == "First of three."
    assert articles[2].title == "Third, with H2O & CO2."  # the DeleteCitation's 90000019 is no article


# ---------------------------------------------------------------------------------------------------------
# Every fact holds in its file, by its XPath; a changed file or value does not


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_every_fact_holds_by_its_xpath(path: Path) -> None:
    data = path.read_bytes()
    root = fromstring(data)  # the parsed file, for the many looks beside fact_holds's own
    articles = read_set(data, path.name)
    assert articles
    for article in articles:
        facts = article.facts()
        names = {f.name for f in facts}
        assert set(article.paths) <= names and "pmid" in names
        for fact in facts:
            assert fact.xpath.startswith(("/PubmedArticleSet/", "substring(/PubmedArticleSet/")), fact
            assert fact_holds(data, fact.xpath, fact.value), fact
            assert value_at(root, fact.xpath) == fact.value, fact
            assert value_at(root, fact.xpath) != fact.value + "x", fact
        # the file as text (str) says the same
        assert all(fact_holds(data.decode(), f.xpath, f.value) for f in facts[:12])
        assert not fact_holds(data.decode(), facts[0].xpath, facts[0].value + "0")


def test_a_fact_stops_holding_when_the_file_changes() -> None:
    data = (HERE / "27797938.xml").read_bytes()
    a = one(HERE / "27797938.xml")
    changed = data.replace(b"<i>TERT</i> gene region and risk", b"<i>TERT</i> gene region and the risk")
    assert changed != data
    assert fact_holds(data, a.paths["title"], a.title or "")
    assert not fact_holds(changed, a.paths["title"], a.title or "")
    assert fact_holds(changed, a.paths["doi"], a.doi or "")  # the rest still holds
    # the year read from a MedlineDate
    m = built("medline_date.xml")
    medline = (BUILT / "medline_date.xml").read_bytes()
    assert fact_holds(medline, m.paths["year"], "2019")
    assert not fact_holds(medline.replace(b"2019 Nov-Dec", b"2018 Nov-Dec"), m.paths["year"], "2019")
    # a reference's doi changed is not the article's; the article's own changed is
    own = (HERE / "29226023.xml").read_bytes()
    r = one(HERE / "29226023.xml")
    assert not fact_holds(own.replace(b">10.4172/2161-1122.1000448<", b">10.4172/other<"), r.paths["doi"], r.doi or "")


def test_value_at_takes_the_root_or_the_text_and_only_its_own_xpaths() -> None:
    data = (HERE / "33856845.xml").read_bytes()
    root = fromstring(data)
    path = f"{A1}/MedlineCitation/Article/AuthorList/Author[2]"
    assert value_at(root, path) == value_at(data, path) == "Cervello S"
    assert value_at(data, f"{A1}/MedlineCitation/Article/AuthorList/Author[9]") is None
    assert value_at(data, f"{A1}/MedlineCitation/Article/Abstract/AbstractText[1]/@Label") == "OBJECTIVE"
    assert value_at(data, "/PubmedArticleSet/PubmedArticle[2]/MedlineCitation/PMID") is None
    for bad in ("PubmedArticleSet/PubmedArticle", "//ArticleTitle", f"{A1}/MedlineCitation/*",
                f"{A1}/MedlineCitation/PMID[last()]", "/Other/PubmedArticle[1]"):
        with pytest.raises(ValueError, match="not a"):
            value_at(data, bad)


# ---------------------------------------------------------------------------------------------------------
# Splitting a set


def test_split_set_keeps_the_prolog_and_the_articles_bytes() -> None:
    data = (BUILT / "three_articles.xml").read_bytes()
    parts = split_set(data, "three_articles.xml")
    assert list(parts) == ["90000011", "90000020", "90000013"]
    prolog = data[: data.index(b"<PubmedArticleSet>")]
    assert prolog.startswith(b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC')
    for pmid, part in parts.items():
        assert part.startswith(prolog + b"<PubmedArticleSet>\n")
        assert part.endswith(b"\n</PubmedArticleSet>\n")
        body = part[len(prolog + b"<PubmedArticleSet>\n"): -len(b"\n</PubmedArticleSet>\n")]
        assert body in data and body.count(pmid.encode()) >= 1
        assert b"DeleteCitation" not in part
        assert [a.pmid for a in read_set(part, pmid)] == [pmid]
    assert b"<i>three</i>" in parts["90000011"] and b"H<sub>2</sub>O &amp; CO" in parts["90000013"]


def test_split_set_refuses_a_pmid_twice() -> None:
    data = (HERE / "33856845.xml").read_bytes()
    start, end = data.index(b"<PubmedArticle>"), data.index(b"</PubmedArticleSet>")
    twice = data[:end] + b"\n" + data[start:end] + data[end:]
    assert [a.pmid for a in read_set(twice, "twice.xml")] == ["33856845", "33856845"]
    with pytest.raises(PubmedFileError) as err:
        split_set(twice, "twice.xml")
    assert err.value.file == "twice.xml" and err.value.field == "/PubmedArticleSet/PubmedArticle[2]/MedlineCitation/PMID"


def renumbered(a: Article) -> Article:
    """The article as it reads alone in a file of its own: index 1, its element the first of its kind."""
    base = a.paths["pmid"].split("/")[2]  # "PubmedArticle[3]"
    first = base.split("[")[0] + "[1]"

    def fix(v: Any) -> Any:
        if isinstance(v, str):
            return v.replace(f"/PubmedArticleSet/{base}/", f"/PubmedArticleSet/{first}/")
        if isinstance(v, tuple):
            return tuple(fix(x) for x in v)
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(v, **{f.name: fix(getattr(v, f.name)) for f in dataclasses.fields(v)})
        return v

    return dataclasses.replace(fix(a), index=1)


_ARTICLE = re.compile(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", re.S)
SNIPPETS = [m.group() for p in READABLE if p.name != "three_articles.xml" for m in _ARTICLE.finditer(p.read_bytes())]
PROLOGS = sorted({p.read_bytes().split(b"<PubmedArticleSet>")[0] for p in REAL})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chosen=st.lists(st.sampled_from(range(len(SNIPPETS))), min_size=1, max_size=6, unique=True),
    gap=st.sampled_from([b"", b"\n", b"\n\n   "]),
    prolog=st.sampled_from(PROLOGS),
)
def test_each_part_of_a_split_reads_as_in_the_set(chosen: list[int], gap: bytes, prolog: bytes) -> None:
    data = prolog + b"<PubmedArticleSet>\n" + gap.join(SNIPPETS[i] for i in chosen) + b"\n</PubmedArticleSet>\n"
    articles = read_set(data, "built-set.xml")
    assert [a.index for a in articles] == list(range(1, len(chosen) + 1))
    parts = split_set(data, "built-set.xml")
    assert list(parts) == [a.pmid for a in articles]
    for a, i in zip(articles, chosen, strict=True):
        part = parts[a.pmid]
        assert part.startswith(prolog) and SNIPPETS[i] in part
        [alone] = read_set(part, f"{a.pmid}.xml")
        assert alone == renumbered(a)


# ---------------------------------------------------------------------------------------------------------
# Refusals: each names the file and the XPath


@pytest.mark.parametrize(("name", "field", "value", "problem"), [
    ("no_pmid.xml", f"{A1}/MedlineCitation/PMID", None, "no PMID"),
    ("pmid_12a4.xml", f"{A1}/MedlineCitation/PMID", "12a4", "not digits"),
    ("wrong_root.xml", "/eFetchResult", "eFetchResult", "root is not PubmedArticleSet"),
    ("not_xml.xml", "/", "line 3, column 2", "not XML"),
    ("xxe.xml", "/", "xxe", "declares an entity"),
    ("billion_laughs.xml", "/", "lol1", "declares an entity"),
])
def test_refusals_name_the_file_and_the_path(name: str, field: str, value: object, problem: str) -> None:
    data = (BUILT / name).read_bytes()
    for call in (read_set, split_set):
        with pytest.raises(PubmedFileError) as err:
            call(data, f"built/{name}")
        e = err.value
        assert isinstance(e, SourceError)
        assert (e.file, e.field, e.value) == (f"built/{name}", field, value)
        assert problem in e.problem
        assert str(e).startswith(f"built/{name}: field {field!r}: ")


def test_a_pmid_of_other_digits_is_refused() -> None:
    data = (BUILT / "pmid_12a4.xml").read_bytes().replace(b">12a4<", b">" + "\u0661\u0662".encode() + b"<")
    with pytest.raises(PubmedFileError, match="not digits"):
        read_set(data, "arabic-digits.xml")


HOSTILE = {
    "xxe.xml": (BUILT / "xxe.xml").read_bytes(),
    "billion_laughs.xml": (BUILT / "billion_laughs.xml").read_bytes(),
    "parameter-entity": b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY % ext SYSTEM '
                        b'"file:///etc/passwd">\n%ext;\n]>\n<PubmedArticleSet/>\n',
    "quadratic-blowup": b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "' + b"x" * 50_000
                        + b'">]>\n<PubmedArticleSet><PubmedArticle>' + b"&a;" * 50_000 + b"</PubmedArticle></PubmedArticleSet>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_refused_fast_with_nothing_read(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    real_open = builtins.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(file)
        return real_open(file, *args, **kwargs)

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the parser went to the network")

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    with open("/etc/passwd", "rb") as f:  # counted in `opened`, so cleared next
        passwd = f.read(200).split(b"\n")[0].decode()
    opened.clear()
    for call in (read_set, split_set):
        start = time.perf_counter()
        with pytest.raises(PubmedFileError) as err:
            call(HOSTILE[name], name)
        assert time.perf_counter() - start < 1.0
        assert err.value.file == name and err.value.field == "/" and "refused" in err.value.problem
        assert passwd not in str(err.value) and "root:" not in str(err.value)
    with pytest.raises(PubmedFileError):
        fact_holds(HOSTILE[name], f"{A1}/MedlineCitation/PMID", "90000009")
    assert opened == []


def test_an_external_dtd_is_not_fetched_nor_read() -> None:
    """PubMed's own DOCTYPE names its DTD by URL: allowed, and never loaded; a DTD naming a local file likewise."""
    data = (BUILT / "season.xml").read_bytes()
    local = re.sub(rb"<!DOCTYPE[^>]*>", b'<!DOCTYPE PubmedArticleSet SYSTEM "file:///etc/passwd">', data)
    assert [a.published for a in read_set(local, "local-dtd.xml")] == ["2018 Spring"]
    undefined = data.replace(b"A built record.", b"A built&nbsp;record.")
    with pytest.raises(PubmedFileError, match="undefined entity"):
        read_set(undefined, "nbsp.xml")
