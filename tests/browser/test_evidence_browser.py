"""The Evidence page and a trial record with publications in Chromium, on a real server over a database of the seeds
with PubMed articles imported (tests/evidence_db.py): at 1400 and 390 px the reporting chart is drawn, the table
filled, the retracted publication flagged, an abstract opens with its results first, and a word of an abstract
finds its trial."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser_support import CHARTS, StreamlitServer, drawn_charts, full_screenshot, table_cells, wait_ready
from tests.evidence_db import evidence_database


@pytest.fixture(scope="module")
def evidence_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evidence_browser")
    with StreamlitServer(env={"TRIALDB_URL": evidence_database(folder)}, log=folder / "streamlit.log") as srv:
        yield srv


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_the_evidence_page_draws_its_chart_table_and_publications(contexts, evidence_server, width, height):
    page = contexts(width, height).new_page()
    page.goto(f"{evidence_server.url}/evidence")
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(CHARTS).count() == drawn_charts(page) == 1
    body = page.inner_text("[data-testid='stMain']")
    assert "Twelve months is the benchmark" in body and "NCT02467504" in body
    page.get_by_role("tab", name="Publications").click()  # the publications, a tab away, kept in the URL
    page.get_by_text("PMID 90000099").first.wait_for(timeout=30_000)
    assert "evidence_show=Publications" in page.url
    body = page.inner_text("[data-testid='stMain']")
    assert "Retracted publication" in body and "PMID 90000099" in body
    # an abstract opens from the keyboard-reachable expander, its results section first
    page.locator(".st-key-pub_90000500").get_by_text("Abstract, as published").click()  # in the Publications list
    page.get_by_text("FINDINGS.").first.wait_for(timeout=30_000)
    text = page.inner_text("[data-testid='stMain']")
    assert text.index("FINDINGS.") < text.index("INTERPRETATION.") < text.index("OBJECTIVE.")
    full_screenshot(page, SCREENSHOTS / f"evidence_{width}.png", width)
    page.close()


@pytest.mark.parametrize("width,height", [(1400, 900), (390, 844)])
def test_a_trial_record_lists_its_publications_with_the_retraction(contexts, evidence_server, width, height):
    page = contexts(width, height).new_page()
    page.goto(f"{evidence_server.url}/trial_record?nct=NCT02467504")
    wait_ready(page)
    body = page.inner_text("[data-testid='stMain']")
    assert "Publications and reporting" in body and "Reporting status:" in body
    assert "A built record." in body and "Retracted publication" in body
    assert "Low-dose IL-2 in rheumatoid arthritis: a built randomised trial" in body  # <i> kept as text
    page.close()


def test_the_citations_download_as_ris_and_bibtex(contexts, evidence_server):
    page = contexts().new_page()
    page.goto(f"{evidence_server.url}/evidence?evidence_show=Publications")
    wait_ready(page)
    got = {}
    for label in ("Citations (RIS)", "Citations (BibTeX)"):
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name=label).click()
        got[download.value.suggested_filename] = download.value.path().read_text(encoding="utf-8")
    assert got["il2_publications.ris"].count("TY  - JOUR") == 4 and "AN  - 90000500" in got["il2_publications.ris"]
    assert "@article{pmid90000004," in got["il2_publications.bib"] and "RETRACTED" in got["il2_publications.bib"]
    page.close()


def test_a_word_of_an_abstract_finds_its_trial(contexts, evidence_server):
    page = contexts().new_page()
    page.goto(f"{evidence_server.url}/evidence?q=quokkaphrase")
    wait_ready(page)
    _, rows = table_cells(page)
    assert [r[0] for r in rows] == ["NCT02467504"]
    page.close()


def test_a_trial_a_link_opens_outside_the_filter_stays_when_the_page_reruns(contexts, evidence_server):
    page = contexts().new_page()
    page.goto(f"{evidence_server.url}/trial_record?nct=NCT02467504&indication=SLE")  # the RA trial, an SLE filter
    wait_ready(page)
    assert "outside the current filter" in page.inner_text("[data-testid='stMain']")
    page.get_by_text("Show the source sentence under each fact").click()
    wait_ready(page)
    page.wait_for_timeout(500)
    main = page.inner_text("[data-testid='stMain']")
    assert "NCT02467504" in main and "Low-dose Recombinant Human IL-2 for the Treatment of Rheumatoid" in main
    page.close()
