"""The Evidence page and the trial record's publications in AppTest, on a database built from seed_data/ with
PubMed articles in seed_data/pubmed/: reporting status per trial, a retracted publication flagged wherever it is
listed, an abstract with its results first and its labels kept, the citations, and search by a word of an abstract."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.evidence_db import evidence_database
from tests.tables import page_tables
from tests.test_app import APP, app_database, opened_with, text_of


@pytest.fixture(scope="module")
def evidence_db(tmp_path_factory):
    url = evidence_database(tmp_path_factory.mktemp("evidence"))
    with app_database(url):
        yield url


def evidence_page(**params: str) -> AppTest:
    return opened_with("evidence", **params)


def test_each_trial_has_its_status_and_its_publications_are_shown_as_published(evidence_db):
    at = evidence_page()
    rows = {r[0]: r for r in page_tables(at)[0][1:]}
    header = page_tables(at)[0][0]
    assert "Twelve months is the benchmark of the FDAAA and EU trial trackers" in text_of(at)
    assert "Retracted publication" not in text_of(at)  # the publications are a tab away
    at = evidence_page(evidence_show="Publications")
    status = header.index("Reporting status")
    assert rows["NCT02465580"][status] == "published"  # 90000600 names it and appeared after its completion
    assert set(rows) == {"NCT02464319", "NCT02465580", "NCT02467504", "NCT05262686"}
    txt = text_of(at)
    assert "Low-dose IL-2 in rheumatoid arthritis: a built randomised trial" in txt  # inline markup as text
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Retracted publication" in errors[0] and "PMID 90000099" in errors[0]
    assert [b.proto.label for b in at.get("download_button")][-2:] == ["Citations (RIS)", "Citations (BibTeX)"]


def test_an_abstract_shows_results_and_conclusions_first_with_their_labels(evidence_db):
    at = evidence_page(evidence_show="Publications")
    bodies = [m.value for m in at.markdown]
    findings = next(i for i, b in enumerate(bodies) if b.startswith("**FINDINGS.**"))
    assert bodies[findings + 1].startswith("**INTERPRETATION.**") and bodies[findings + 2].startswith("**OBJECTIVE.**")


def test_one_trial_shows_its_registered_outcomes_beside_its_publications(evidence_db):
    at = evidence_page(evidence_show="Registered and published", evidence_nct="NCT02467504")
    assert at.selectbox(key="evidence_nct").value == "NCT02467504"
    left, right = at.columns[0], at.columns[1]
    assert "Outcome measures: *not stated in source*" in text_of(left)  # the seed documents register none
    assert "A built record." in text_of(right) and any("Retracted publication" in e.value for e in right.error)


def test_a_tab_the_page_does_not_have_is_ignored_with_a_notice(evidence_db):
    at = evidence_page(evidence_show="Everything")
    assert any("tab" in w.value and "Everything" in w.value for w in at.warning)
    assert "Twelve months is the benchmark" in text_of(at)  # the first part opens


def test_the_trial_record_lists_its_publications_flags_a_retraction_and_gives_its_status(evidence_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["nct"] = "NCT02467504"
    at.run()
    at.switch_page("app_pages/trial_record.py").run()
    assert not at.exception, [e.value for e in at.exception]
    txt = text_of(at)
    assert "Reporting status:" in txt and "A built record." in txt
    assert any("Retracted publication" in e.value for e in at.error)


def test_a_word_of_an_abstract_finds_its_trial(evidence_db):
    at = evidence_page(q="quokkaphrase")
    rows = page_tables(at)[0][1:]
    assert [r[0] for r in rows] == ["NCT02467504"]
