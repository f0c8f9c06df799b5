"""Registry records as they are (issue 19, items 3-7), from the small records in tests/fixtures/quirks/:
registry Markdown shown and searched as meant, retracted references kept and flagged, merged NCT ids kept and
found, secondary ids with their domain and link, each intervention's other names. On the session's engine
(SQLite, or PostgreSQL under TRIALDB_TEST_URL): a database of its own with the seeds and these records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.results_db import fresh_url
from tests.test_app import APP, app_database
from trialdb import queries
from trialdb.registry.text import Block, blocks, plain_text

QUIRKS = Path(__file__).parent / "fixtures" / "quirks"
FILES = {"markdown": "markdown-escaped-text.json", "retraction": "reference-with-retraction.json",
         "alias": "nct-id-alias.json", "secondary": "secondary-ids-repeated.json",
         "other_names": "arm-intervention-type-prefix.json"}


def source(kind: str) -> dict:
    return json.loads((QUIRKS / FILES[kind]).read_text())


def nct_of(kind: str) -> str:
    return source(kind)["protocolSection"]["identificationModule"]["nctId"]


@pytest.fixture(scope="module")
def quirks_url(tmp_path_factory) -> str:
    from trialdb.build import build
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    url = fresh_url(tmp_path_factory.mktemp("quirks"), "trials_quirks_record")
    build(url)
    engine = make_engine(url)
    import_files(engine, [QUIRKS / f for f in FILES.values()])
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def quirks_engine(quirks_url):
    from trialdb.store.db import make_engine

    engine = make_engine(quirks_url, readonly=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def exported(quirks_engine) -> dict[str, dict]:
    from trialdb.export import export

    return {s["protocolSection"]["identificationModule"]["nctId"]: s for s in export(quirks_engine)["studies"]}


# --- export equals the source for every key the model holds ----------------------------------------------------

def test_secondary_ids_keep_type_domain_and_link_each_its_own_row(exported):
    ident = exported[nct_of("secondary")]["protocolSection"]["identificationModule"]
    assert ident["secondaryIdInfos"] == source("secondary")["protocolSection"]["identificationModule"]["secondaryIdInfos"]
    assert len(ident["secondaryIdInfos"]) == 4  # GRP-IL2-001 twice, under two domains


def test_nct_id_aliases_are_kept_and_exported(exported):
    ident = exported[nct_of("alias")]["protocolSection"]["identificationModule"]
    assert ident["nctIdAliases"] == ["NCT90000030"]


def test_retractions_are_kept_and_exported_exactly(exported):
    refs = exported[nct_of("retraction")]["protocolSection"]["referencesModule"]["references"]
    assert refs == source("retraction")["protocolSection"]["referencesModule"]["references"]
    assert refs[0]["retractions"] == [{"pmid": "99999902", "source": "Placeholder J. 2020 Sep;1(3):100-101"}]


def test_escaped_text_is_stored_and_exported_as_posted(exported):
    el = exported[nct_of("markdown")]["protocolSection"]["eligibilityModule"]
    assert el["eligibilityCriteria"] == source("markdown")["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]


def test_arms_link_to_interventions_despite_the_type_prefix(exported):
    arms = exported[nct_of("other_names")]["protocolSection"]["armsInterventionsModule"]
    want = source("other_names")["protocolSection"]["armsInterventionsModule"]
    assert arms["armGroups"] == want["armGroups"]
    assert arms["interventions"] == want["interventions"]


@pytest.mark.parametrize("kind", list(FILES))
def test_every_modelled_module_exports_as_the_source(exported, kind):
    got = exported[nct_of(kind)]["protocolSection"]
    for module in ("identificationModule", "referencesModule", "armsInterventionsModule", "eligibilityModule"):
        if module in source(kind)["protocolSection"]:
            assert got[module] == source(kind)["protocolSection"][module], module


def test_check_verifies_every_quote_and_covers_every_new_field(quirks_engine):
    from trialdb.check import check

    report = check(quirks_engine)
    assert report.ok, report.summary()
    assert report.uncovered == []


# --- search (the engine matters: FTS5 or tsvector) -----------------------------------------------------------------

def matches(engine, text: str) -> set[str]:
    inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
    return set(queries.studies(engine, queries.Filters(inds, query=text)).nct_id)


def test_search_finds_escaped_text_as_meant(quirks_engine):
    assert matches(quirks_engine, "<126") == {nct_of("markdown")}
    assert matches(quirks_engine, "glucose <126 mg/dL") == {nct_of("markdown")}


def test_search_by_an_earlier_merged_id_finds_the_trial(quirks_engine):
    assert matches(quirks_engine, "NCT90000030") == {"NCT90000003"}
    assert queries.merged_into(quirks_engine, "NCT90000030") == "NCT90000003"
    assert queries.merged_into(quirks_engine, "NCT90000003") is None


def test_search_finds_other_names(quirks_engine):
    assert matches(quirks_engine, "Proleukin") == {nct_of("other_names")}


# --- registry Markdown to display text ------------------------------------------------------------------------------

def test_registry_markdown_blocks():
    text = source("markdown")["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    assert blocks(text) == [Block("Inclusion Criteria:"), Block("Fasting plasma glucose <126 mg/dL at screening", 1, "-"),
                            Block("Symptoms present for >1 month", 1, "-"), Block("Exclusion Criteria:"),
                            Block("Residual stenosis> 30% on prior imaging", 1, "-")]
    assert plain_text("Response only if Treg \\<5%.") == "Response only if Treg <5%."
    assert blocks("1. one\n2. two\n   * sub") == [Block("one", 1, "1."), Block("two", 1, "2."), Block("sub", 2, "-")]
    assert plain_text(None) == "" and blocks("") == []


def test_html_in_registry_text_stays_text():
    assert plain_text("a <script>alert(1)</script> b") == "a <script>alert(1)</script> b"
    assert plain_text("<div>x</div>") == "<div>x</div>"
    # A link's address is shown as text; an image is never loaded, its description stands in.
    assert plain_text("[site](https://example.org) ![pic](https://example.org/x.png)") == \
        "site (https://example.org) pic"


def test_registry_md_is_safe_markdown_with_lists():
    from dashboard.ui import registry_md

    md = registry_md("Criteria:\n\n* glucose \\<126\n* <img src=x onerror=alert(1)> :smile: [x](https://e.org)")
    assert md == ("Criteria\\:\n\n- glucose \\<126\n"
                  "- \\<img src\\=x onerror\\=alert\\(1\\)\\> \\:smile\\: x \\(https\\:\\/\\/e\\.org\\)").replace(
                      "\\/", "/")


# --- the trial record page --------------------------------------------------------------------------------------------

def rendered(at) -> str:
    """The page's Markdown as a reader sees it: backslash escapes undone (CommonMark), nothing else."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [e.value for e in at.error] + [w.value for w in at.warning]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(x) for x in parts))


def record(url: str, nct: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["nct"] = nct
    at.run()
    at.switch_page("app_pages/trial_record.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_record_shows_escaped_text_as_meant_with_lists(quirks_url):
    with app_database(quirks_url):
        at = record(quirks_url, nct_of("markdown"))
        text = rendered(at)
        assert "Fasting plasma glucose <126 mg/dL at screening" in text
        assert "Symptoms present for >1 month" in text
        assert "\\<" not in text and "\\>" not in text


def test_record_flags_the_retracted_reference(quirks_url):
    with app_database(quirks_url):
        at = record(quirks_url, nct_of("retraction"))
        errors = [e.value for e in at.error]
        assert any("Retracted publication" in e and "PMID 99999902" in e.replace("\\", "") for e in errors), errors
        assert "RETRACTED · Placeholder A, Placeholder B. Low-dose IL-2 after surgery." in rendered(at)


def test_record_link_by_an_earlier_id_opens_the_merged_trial(quirks_url):
    with app_database(quirks_url):
        at = record(quirks_url, "NCT90000030")
        assert at.selectbox(key="nct").value == "NCT90000003"
        assert any("NCT90000030 is an earlier id of NCT90000003 (merged)" in i.value for i in at.info)
        assert not at.warning  # not "a trial this database does not have"
        assert "NCT90000030 (an earlier NCT id, merged into this record)" in rendered(at)


def test_record_shows_each_interventions_other_names(quirks_url):
    with app_database(quirks_url):
        at = record(quirks_url, nct_of("other_names"))
        text = rendered(at)
        assert "Other names of Aldesleukin: Proleukin; rIL-2" in text
        assert "Drug: Aldesleukin" in text


def test_record_shows_secondary_ids_with_domain_and_link(quirks_url):
    with app_database(quirks_url):
        text = rendered(record(quirks_url, nct_of("secondary")))
        assert "GRP-IL2-001 (secondary id; Other; Placeholder Cooperative Group)" in text
        assert "GRP-IL2-001 (secondary id; Other; Placeholder Clinical Trials Network)" in text
        assert "U10XX000000 (secondary id; NIH; https://reporter.nih.gov/quickSearch/U10XX000000)" in text


def test_an_arm_naming_an_intervention_the_record_lacks_is_kept_flagged_and_shown(tmp_path):
    """Registry records link arms to interventions by name ("Drug: X"); a name no intervention has (an
    intervention renamed or removed after the arm was written) used to refuse the whole record. The registry
    is the authority: the arm and its names are kept as written, the unknown name flagged, the trial stays."""
    from sqlalchemy.orm import Session

    from trialdb import flags
    from trialdb.build import build
    from trialdb.check import check
    from trialdb.export import export
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    src = source("other_names")
    arms = src["protocolSection"]["armsInterventionsModule"]["armGroups"]
    arms[0]["interventionNames"] = [*arms[0]["interventionNames"], "Drug: Tocilizumab"]
    path = tmp_path / "arm-names-unknown-intervention.json"
    path.write_text(json.dumps(src))
    url = fresh_url(tmp_path, "trials_arm_unknown")
    build(url)
    engine = make_engine(url)
    nct = src["protocolSection"]["identificationModule"]["nctId"]
    assert import_files(engine, [path]).added == [nct]
    study = next(s for s in export(engine)["studies"]
                 if s["protocolSection"]["identificationModule"]["nctId"] == nct)
    assert study["protocolSection"]["armsInterventionsModule"]["armGroups"][0]["interventionNames"] == \
        ["Drug: Aldesleukin", "Drug: Tocilizumab"]  # export equals the source
    where = "armsInterventionsModule.armGroups[0].interventionNames[1]"
    with Session(engine) as s:
        assert flags.for_study(s, nct) == [(where, "arm_names_unknown_intervention", "Drug: Tocilizumab")]
    assert check(engine).ok
    engine.dispose()
    with app_database(url):
        text = rendered(record(url, nct))
        assert "Drug: Tocilizumab" in text and where in text
        assert "an arm names an intervention the record does not list" in text
