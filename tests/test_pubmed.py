"""The PubMed step end to end, against the local E-utilities server (tests/eutils_server.py): which PMIDs are
asked (the registry's references and [si] search), the files written one per article with SHA256SUMS, the
articles loaded with provenance that `check` verifies, one publication per PMID with the seed document's,
a rebuild from seed_data/ losing nothing, `import FILE.xml`, faults and hostile files leaving everything
untouched, and the reporting status and export that follow."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import REPO
from tests.eutils_server import Eutils, EutilsServer, article
from tests.sync_support import own_database, seed_copy
from trialdb.build import build
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.export import export
from trialdb.pubmed.client import Client, PubmedError
from trialdb.pubmed.fetch import import_articles, pubmed, search_terms
from trialdb.pubmed.folder import changed_files
from trialdb.store import models as m
from trialdb.store.db import make_engine

SEED_TRIAL = "NCT02465580"  # its seed record lists PMIDs 31537547, 33687069 and 34116715 (DERIVED)
BUILT = REPO / "tests" / "fixtures" / "pubmed" / "built"
TODAY = dt.date(2026, 12, 7)


def fast(srv: EutilsServer, **kw) -> Client:
    """A client of the test server that does not wait (NCBI's pacing is tested in test_pubmed_client.py)."""
    return Client(srv.api, email="tests@example.org", retries=2, backoff=0, sleep=lambda _s: None, **kw)


def served() -> Eutils:
    """The seed trial's three referenced PMIDs (31537547 titled as the seed document titles it, but with a
    different journal name: a difference to keep) and an article found only by [si], naming the trial."""
    eu = Eutils(articles={})
    eu.add(article("31537547", SEED_TRIAL, title="Efficacy and safety of low-dose IL-2 in the treatment of "
                                                  "systemic lupus erythematosus: a randomised, double-blind, "
                                                  "placebo-controlled trial"),
           article("33687069", title="A protocol for a trial of low-dose interleukin-2"),
           article("90000777", SEED_TRIAL, title="Long-term follow-up of low-dose IL-2 in lupus"))
    # 34116715 is listed by the registry record but PubMed does not have it here: reported, not invented
    return eu


@pytest.fixture
def env(tmp_path):
    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        build(url, seed)
        with EutilsServer(served()) as srv:
            yield url, seed, srv


def publications(url: str) -> dict[str, m.Publication]:
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine, expire_on_commit=False) as s:
            pubs = s.scalars(select(m.Publication)).all()
            for p in pubs:  # load what the tests read
                _ = (p.types, p.sections, p.registrations, p.discrepancies, p.authors)
            return {p.pmid: p for p in pubs}
    finally:
        engine.dispose()


def fingerprint(url: str, seed: Path) -> tuple:
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((seed / "pubmed").glob("*"))} \
        if (seed / "pubmed").is_dir() else {}
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as s:
            rows = sorted(s.scalars(select(m.Publication.pmid)).all())
            facts = len(s.scalars(select(m.Provenance.id)).all())
    finally:
        engine.dispose()
    return files, rows, facts


def test_search_terms_join_the_trials_with_or_fifty_at_a_time():
    ncts = [f"NCT{i:08d}" for i in range(120)]
    terms = search_terms(ncts)
    assert len(terms) == 3 and terms[0].count("[si]") == 50 and terms[2].count(" OR ") == 19
    assert terms[0].startswith("NCT00000000[si] OR NCT00000001[si]")


def test_the_step_fetches_references_and_si_finds_writes_one_file_each_and_loads_them_checked(env):
    url, seed, srv = env
    c = fast(srv)
    report = pubmed(url, seed, client=c)
    assert report.trials == 4 and report.referenced == 3
    assert set(report.asked) == {"31537547", "33687069", "34116715", "90000777"}
    assert report.fetched == ["31537547", "33687069", "90000777"] and report.missing == ["34116715"]
    assert "not returned by PubMed (1): 34116715" in report.summary()
    # NCBI's rules: tool and email on every request, ids by POST
    assert all(r.method == "POST" and r.params["tool"] and r.params["email"] == "tests@example.org"
               for r in srv.eutils.log)
    assert srv.eutils.requests_to("esearch.fcgi")[0].params["term"].count("[si]") == 4
    # one file per article, as NCBI sent it, and SHA256SUMS vouching for each
    folder = seed / "pubmed"
    assert sorted(p.name for p in folder.glob("*.xml")) == ["31537547.xml", "33687069.xml", "90000777.xml"]
    text = (folder / "90000777.xml").read_text()
    assert text.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet') and text.count("<PubmedArticle>") == 1
    assert changed_files(seed) == []
    # one publication per PMID: the seed's 31537547 gains PubMed's facts, its own stay
    pubs = publications(url)
    assert pubs["31537547"].source == "curated+pubmed" and pubs["90000777"].source == "pubmed"
    assert pubs["31537547"].title.startswith("Efficacy and safety of low-dose IL-2")  # the seed document's
    assert ("journal", "A journal") in [(d.field, d.pubmed) for d in pubs["31537547"].discrepancies]
    assert [r.nct_id for r in pubs["90000777"].registrations] == [SEED_TRIAL]
    assert [t.name for t in pubs["90000777"].types] == ["Journal Article"]
    report_check = check(make_engine(url, readonly=True))
    assert report_check.ok and report_check.facts > 283
    # a second run asks nothing already stored
    again = pubmed(url, seed, client=fast(srv))
    assert again.asked == ["34116715"] and again.fetched == []


def test_a_rebuild_from_seed_data_gives_the_same_publications(env, tmp_path):
    url, seed, srv = env
    pubmed(url, seed, client=fast(srv))
    before = fingerprint(url, seed)
    build(url, seed)
    assert fingerprint(url, seed) == before


def test_reporting_and_export_follow_the_fetched_articles(env):
    url, seed, srv = env
    pubmed(url, seed, client=fast(srv))
    data = export(make_engine(url, readonly=True), today=TODAY)
    status = {r["nct_id"]: r for r in data["reporting"]}
    # NCT02465580 completed (actual) in 2017; 31537547 and 90000777 name it, appeared after, are not protocols
    assert status[SEED_TRIAL]["status"] == "published"
    assert status[SEED_TRIAL]["publications"] == ["31537547", "90000777"]
    by_pmid = {p["pmid"]: p for p in data["publications"]}
    assert by_pmid["33687069"]["publication_types"] == ["Journal Article"] and by_pmid["33687069"]["retracted"] is False
    assert by_pmid["31537547"]["source"] == "curated+pubmed" and by_pmid["90000777"]["published"] == "2020"
    assert by_pmid["31537547"]["abstract"][0]["label"] is None  # the seed document's, one unlabelled section


@pytest.mark.parametrize("fault", ["500", "cut", "html", "429"])
def test_a_request_that_keeps_failing_stops_the_step_with_nothing_written(env, fault):
    url, seed, srv = env
    before = fingerprint(url, seed)
    srv.eutils.fail("efetch.fcgi", fault, times=10)
    with pytest.raises(PubmedError, match="efetch"):
        pubmed(url, seed, client=fast(srv))
    assert fingerprint(url, seed) == before and not list((seed / "pubmed").glob("*.xml"))


def test_a_transient_fault_is_retried_and_the_step_completes(env):
    url, seed, srv = env
    srv.eutils.fail("efetch.fcgi", "429")
    srv.eutils.fail("esearch.fcgi", "503")
    assert pubmed(url, seed, client=fast(srv)).fetched == ["31537547", "33687069", "90000777"]


def test_an_entity_in_an_answer_is_refused_at_once(env):
    url, seed, srv = env
    before = fingerprint(url, seed)
    srv.eutils.fail("efetch.fcgi", "entity")
    with pytest.raises(PubmedError):
        pubmed(url, seed, client=fast(srv))
    assert fingerprint(url, seed) == before


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trialdb", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "TRIALDB_URL": url}, timeout=300)


def test_the_cli_fetches_and_reports_and_a_refused_answer_writes_nothing(env):
    url, seed, srv = env
    srv.eutils.fail("efetch.fcgi", "entity")  # refused at once: no back-off to wait for (retries are tested above)
    proc = cli(url, "pubmed", "--api", srv.api, "--seed", str(seed))
    assert proc.returncode == 2 and "Nothing was written" in proc.stderr and "Traceback" not in proc.stderr
    assert not list((seed / "pubmed").glob("*.xml"))
    proc = cli(url, "pubmed", "--api", srv.api, "--seed", str(seed))
    assert proc.returncode == 0, proc.stderr
    assert "3 fetched" in proc.stdout and "34116715" in proc.stdout
    assert "asked PubMed for 4 of 4 articles" in proc.stderr  # progress: plain lines when not a terminal


def test_import_takes_an_efetch_file_keeps_it_across_rebuilds_and_check_verifies_it(env, tmp_path):
    url, seed, _ = env
    assert import_articles(url, [BUILT / "three_articles.xml", BUILT / "retracted.xml"]) == \
        "imported 4 PubMed article(s) from 2 file(s)"
    pmids = set(publications(url))
    build(url, seed)  # a rebuild carries the imported file over
    assert set(publications(url)) == pmids
    assert check(make_engine(url, readonly=True)).ok
    retracted = [p for p in export(make_engine(url, readonly=True))["publications"] if p["retracted"]]
    assert [p["pmid"] for p in retracted] == ["90000004"]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    """One database built from seed_data/ for the tests that must leave it untouched."""
    tmp = tmp_path_factory.mktemp("pubmed_refused")
    with own_database(tmp) as url:
        build(url)
        yield url


def test_sync_runs_the_pubmed_step_after_the_registry_step_and_no_pubmed_skips_it(env):
    url, seed, srv = env
    from tests.ctgov_server import CtgovServer

    with CtgovServer() as registry:
        proc = cli(url, "sync", "--api", registry.api, "--seed", str(seed), "--rate", "0", "--no-pubmed")
        assert proc.returncode == 0 and "PubMed:" not in proc.stdout and not srv.eutils.log, proc.stderr
        proc = cli(url, "sync", "--api", registry.api, "--seed", str(seed), "--rate", "0", "--pubmed-api", srv.api)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.index("sync ") < proc.stdout.index("PubMed: 13 trials")  # the registry step, then PubMed's
    assert sorted(p.name for p in (seed / "pubmed").glob("*.xml")) == ["31537547.xml", "33687069.xml", "90000777.xml"]


@pytest.mark.parametrize("name, words", [("xxe.xml", "refused"), ("billion_laughs.xml", "refused"),
                                         ("no_pmid.xml", "PMID"), ("pmid_12a4.xml", "12a4"),
                                         ("wrong_root.xml", "root"), ("not_xml.xml", "not XML")])
def test_a_hostile_or_malformed_file_is_refused_by_name_and_the_database_untouched(seed_db, name, words):
    before = fingerprint(seed_db, REPO / "seed_data")
    with pytest.raises(SourceError) as refused:
        import_articles(seed_db, [BUILT / "databanks.xml", BUILT / name])
    assert name in str(refused.value) and words in str(refused.value) and "root:x" not in str(refused.value)
    assert fingerprint(seed_db, REPO / "seed_data") == before


def test_the_cli_names_a_refused_file_and_leaves_the_database(seed_db):
    before = fingerprint(seed_db, REPO / "seed_data")
    proc = cli(seed_db, "import", str(BUILT / "xxe.xml"))
    assert proc.returncode == 2 and "xxe.xml" in proc.stderr and "untouched" in proc.stderr, proc.stderr
    assert "root:x" not in proc.stderr and "Traceback" not in proc.stderr  # /etc/passwd never read
    assert fingerprint(seed_db, REPO / "seed_data") == before


def test_a_curated_outcome_can_quote_a_fetched_abstract(env):
    url, seed, srv = env
    srv.eutils.add(article("90000888", SEED_TRIAL, title="Low-dose IL-2 and SRI-4"))
    pubmed(url, seed, client=fast(srv))
    quote = "Low-dose IL-2 and SRI-4"
    curation = (seed / "curation.toml").read_text() + (
        '\n[[outcome]]\npmid = "90000888"\nnct_id = "NCT02465580"\nmeasure = "SRI-4 response"\nprimary = false\n'
        f'document = "pubmed/90000888.xml"\nquote = "{quote}"\ngroups = []\n')
    (seed / "curation.toml").write_text(curation)
    build(url, seed)
    assert check(make_engine(url, readonly=True)).ok
    (seed / "curation.toml").write_text(curation.replace(f'quote = "{quote}"', 'quote = "words PubMed never printed"'))
    with pytest.raises(SourceError, match=r"quote not found verbatim in pubmed/90000888\.xml"):
        build(url, seed)


def test_a_tampered_article_file_stops_the_build_and_check_names_it(env):
    url, seed, srv = env
    pubmed(url, seed, client=fast(srv))
    path = seed / "pubmed" / "90000777.xml"
    path.write_text(path.read_text().replace("Long-term", "Short-term"))
    assert [f for f, _, _ in changed_files(seed)] == ["pubmed/90000777.xml"]
    with pytest.raises(SourceError, match=r"90000777\.xml"):
        build(url, seed)


def test_the_seed_data_pubmed_folder_is_what_the_build_reads():
    folder = REPO / "seed_data" / "pubmed"
    assert (folder / "README.md").exists()
    assert json.dumps(changed_files(REPO / "seed_data")) == "[]"
