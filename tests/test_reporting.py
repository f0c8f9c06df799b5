"""The reporting rule (trialdb.reporting): each status reached by the facts that make it, dates read as the
trackers read them, protocols and early papers not counted as results; and the citations (trialdb.citations)."""

from __future__ import annotations

import datetime as dt

import bibtexparser
import pytest
import rispy

from trialdb import citations
from trialdb.reporting import (
    DUE_NOT_REPORTED,
    NO_COMPLETION,
    NOT_YET_DUE,
    POSTED,
    POSTED_AND_PUBLISHED,
    PUBLISHED,
    Link,
    add_year,
    is_protocol,
    last_day,
    pubmed_period_end,
    reporting_status,
)

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("text, day", [
    ("2019-08-14", dt.date(2019, 8, 14)), ("2019-08", dt.date(2019, 8, 31)), ("2020-02", dt.date(2020, 2, 29)),
    ("2019", dt.date(2019, 12, 31)), (None, None), ("", None), ("2019-13", None), ("Aug 2019", None),
    ("2019-02-30", None)])
def test_a_registry_date_is_read_to_the_last_day_it_names(text, day):
    assert last_day(text) == day


@pytest.mark.parametrize("published, electronic, day", [
    ("2019 Aug 5", None, dt.date(2019, 8, 5)), ("2019 Aug", None, dt.date(2019, 8, 31)),
    ("2019 08", None, dt.date(2019, 8, 31)), ("2019", None, dt.date(2019, 12, 31)),
    ("2018 Spring", None, dt.date(2018, 6, 30)), ("2019 Nov-Dec", None, dt.date(2019, 12, 31)),
    ("1998 Dec-1999 Jan", None, dt.date(1999, 1, 31)), ("2020 Jan", "2019-11-02", dt.date(2019, 11, 2)),
    (None, None, None), ("Summer", None, None)])
def test_a_pubmed_date_is_read_to_the_end_of_the_period_it_names(published, electronic, day):
    assert pubmed_period_end(published, electronic) == day


def test_twelve_months_after_29_february_is_28_february():
    assert add_year(dt.date(2020, 2, 29)) == dt.date(2021, 2, 28)
    assert add_year(dt.date(2019, 8, 31)) == dt.date(2020, 8, 31)


def status(pc="2020-01", pct="ACTUAL", c=None, ct=None, posted=None, links=(), today=TODAY):
    return reporting_status(pc, pct, c, ct, posted, list(links), today)


def test_each_status_from_the_facts_that_make_it():
    result = Link("1", "RESULT")
    assert status().status == DUE_NOT_REPORTED
    assert status().due == dt.date(2021, 1, 31) and status().days_overdue == (TODAY - dt.date(2021, 1, 31)).days
    assert status(posted="2021-03-01").status == POSTED
    assert status(links=[result]).status == PUBLISHED
    assert status(posted="2021-03-01", links=[result]).status == POSTED_AND_PUBLISHED
    assert status(pc="2026-06", pct="ACTUAL").status == NOT_YET_DUE  # less than 12 months ago
    assert status(pc="2026-06", pct="ACTUAL").days_overdue is None
    assert status(pc="2020-01", pct="ESTIMATED").status == NOT_YET_DUE  # still anticipated, however old
    assert status(pc="2020-01", pct="ANTICIPATED").status == NOT_YET_DUE
    assert status(pc=None, pct=None).status == NO_COMPLETION
    # the completion date stands in for a missing primary completion date, with its own type
    got = status(pc=None, pct=None, c="2018-05-10", ct="ACTUAL")
    assert got.status == DUE_NOT_REPORTED and got.primary_completion == dt.date(2018, 5, 10)


def test_only_a_linked_article_after_completion_that_is_not_a_protocol_counts_as_results():
    after, before = dt.date(2021, 3, 31), dt.date(2017, 3, 31)
    assert status(links=[Link("2", "DERIVED", after, "Low-dose IL-2 in SLE: a randomised trial")]).reported_by == ("2",)
    assert status(links=[Link("2", "registration", after, "Results")]).status == PUBLISHED
    assert status(links=[Link("3", "DERIVED", before, "An early report")]).status == DUE_NOT_REPORTED
    assert status(links=[Link("4", "DERIVED", after, "Study protocol for a trial of IL-2")]).status == DUE_NOT_REPORTED
    assert status(links=[Link("5", "DERIVED", after, "IL-2", ("Clinical Trial Protocol",))]).status == DUE_NOT_REPORTED
    assert status(links=[Link("6", "BACKGROUND", after, "Results")]).status == DUE_NOT_REPORTED
    assert status(links=[Link("7", "DERIVED", None, "Not fetched")]).status == DUE_NOT_REPORTED
    # a RESULT reference counts whatever its date, fetched or not
    assert status(links=[Link("8", "RESULT", before)]).status == PUBLISHED


@pytest.mark.parametrize("title, types, protocol", [
    ("Rationale and design of the TRANSREG study", (), True), ("A protocol", (), True),
    ("Efficacy of low-dose IL-2", ("Randomized Controlled Trial",), False),
    ("Low-dose IL-2", ("Clinical Trial Protocol",), True), ("Protocolised care", (), False)])
def test_protocols(title, types, protocol):
    assert is_protocol(title, types) is protocol


PUB = {"pmid": "31537547", "title": "Low-dose interleukin-2 in SLE {x} & 50% é", "authors": ["He J", "Zhang R"],
       "journal": "Annals of the rheumatic diseases", "journal_iso": "Ann Rheum Dis", "year": 2020,
       "published": "2020 Jan", "doi": "10.1136/annrheumdis-2019-215396", "pmcid": "PMC6937406",
       "abstract": "OBJECTIVES: ...", "nct_ids": ["NCT02465580"], "retracted": True}


def test_ris_reads_back_with_every_stated_fact():
    back = rispy.loads(citations.ris([PUB, {"pmid": "1", "title": "Only a title"}]))
    assert [r["accession_number"] for r in back] == ["31537547", "1"]
    first = back[0]
    assert first["title"] == PUB["title"] and first["authors"] == PUB["authors"] and first["doi"] == PUB["doi"]
    assert first["year"] == "2020" and first["journal_name"] == PUB["journal"]
    assert any("RETRACTED" in n for n in first["notes"]) and any("NCT02465580" in n for n in first["notes"])
    assert "authors" not in back[1] and "doi" not in back[1]  # not stated: left out, never invented


def test_bibtex_reads_back_with_its_text_decoded():
    from bibtexparser.middlewares import LatexDecodingMiddleware

    lib = bibtexparser.parse_string(citations.bibtex([PUB]), append_middleware=[LatexDecodingMiddleware()])
    assert not lib.failed_blocks
    (entry,) = lib.entries
    assert entry.key == "pmid31537547" and entry["doi"] == PUB["doi"]
    assert entry["title"] == PUB["title"] and entry["author"] == "He J and Zhang R"
    assert entry["url"] == "https://pubmed.ncbi.nlm.nih.gov/31537547/"
