"""The app at thirty indications in seven areas (the synthetic portfolio, 300 trials), in AppTest: the
filter by area and by indication, a link opening the view (the widget-to-URL half is in
tests/browser/test_thirty_indications.py: AppTest does not write bound widgets to its query_params),
old `?indication=` links, bad values, and every page for an area's selection."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests import vega
from tests.pages import registered_pages
from tests.test_app import APP, app_database, md_tables, text_of
from trialdb.indications import AREAS, BY_CODE
from trialdb.synthetic import INDICATION_WEIGHTS

AREA_OF = {c: BY_CODE[c].area for c, _ in INDICATION_WEIGHTS}
PAGES = registered_pages()  # every page app.py registers, whichever issue added it


@pytest.fixture(scope="module")
def thirty(tmp_path_factory):
    """A 30-indication database (`python -m trialdb.synthetic --n 300`), the app pointed at it."""
    import subprocess
    import sys

    from tests.conftest import REPO

    db = tmp_path_factory.mktemp("thirty") / "thirty.sqlite3"
    subprocess.run([sys.executable, "-m", "trialdb.synthetic", "--n", "300", "--db", str(db)], cwd=REPO, check=True,
                   capture_output=True)
    with app_database(f"sqlite:///{db}"):
        yield db


def start(params: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def overview_indications(at) -> set[str]:
    """The indications of the overview's trials (its table's Indication column, every page of it)."""
    header, *rows = md_tables(at)[0]
    col = header.index("Indication")
    return {r[col] for r in rows}


def trials_metric(at) -> int:
    return int({m.label: m.value for m in at.metric}["Trials"].replace(",", ""))


def test_the_sidebar_starts_empty_and_means_everything(thirty):
    at = start()
    area, ind = at.multiselect(key="area"), at.multiselect(key="indication")
    assert area.value == [] and ind.value == []  # no chips: the sidebar stays short
    assert area.options == [a.code for a in AREAS] and len(ind.options) == 30
    assert trials_metric(at) == 300 and {m.label: m.value for m in at.metric}["Indications"] == "30"
    assert any(c.value == "All 30 indications." for c in at.caption)


def test_filter_by_area(thirty):
    at = start()
    at.multiselect(key="area").set_value(["endocrinology"]).run()
    assert not at.exception
    assert overview_indications(at) == {"T1D", "GD"} and {m.label: m.value for m in at.metric}["Indications"] == "2"
    assert any(c.value.startswith("2 of 30 indications: T1D, GD") for c in at.caption)


def test_filter_by_area_and_indication_is_their_union(thirty):
    at = start()
    at.multiselect(key="area").set_value(["transplant"]).run()
    n_transplant = trials_metric(at)
    at.multiselect(key="indication").set_value(["SLE"]).run()
    assert not at.exception
    assert trials_metric(at) > n_transplant
    assert {m.label: m.value for m in at.metric}["Indications"] == "3"  # GVHD, TxR and SLE


def test_filter_by_indication(thirty):
    at = start()
    at.multiselect(key="indication").set_value(["T1D"]).run()
    assert not at.exception
    assert overview_indications(at) == {"T1D"}


def test_the_url_opens_the_view_and_keeps_it_across_pages(thirty):
    at = start({"area": "rheumatology", "indication": "T1D"})
    assert at.multiselect(key="area").value == ["rheumatology"] and at.multiselect(key="indication").value == ["T1D"]
    want = {c for c, a in AREA_OF.items() if a == "rheumatology"} | {"T1D"}
    assert {m.label: m.value for m in at.metric}["Indications"] == str(len(want))
    for page in PAGES[1:]:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.multiselect(key="area").value == ["rheumatology"] and at.multiselect(key="indication").value == ["T1D"]
    at.switch_page("app_pages/phase_status.py").run()
    # More than seven indications: the chart is stacked by area, two areas here.
    assert set(vega.series_colours(at.get("vega_lite_chart")[0])) == {"Rheumatology", "Endocrinology"}


def test_an_old_indication_link_still_works(thirty):
    at = start({"indication": ["SLE", "RA"]})
    assert at.multiselect(key="indication").value == ["SLE", "RA"] and at.multiselect(key="area").value == []
    assert overview_indications(at) == {"RA"}  # the table's first page: by indication, RA first
    assert not at.warning


def test_bad_area_and_indication_values_get_a_notice(thirty):
    at = start({"area": ["rheumatology", "cardiology"], "indication": ["Lupus"]})
    notices = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "disease area “cardiology”" in notices and "indication “Lupus”" in notices
    assert at.multiselect(key="area").value == ["rheumatology"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_an_area_and_for_everything(thirty, page):
    at = start()
    for areas in (["neurology"], [], ["rheumatology", "dermatology"]):
        at.multiselect(key="area").set_value(areas).run()
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, areas, [e.value for e in at.exception])
        assert "No trials match" not in text_of(at)


def test_phase_and_status_tables_stay_narrow_and_indications_come_on_demand(thirty):
    at = start()
    at.switch_page("app_pages/phase_status.py").run()
    phase = md_tables(at)[0]
    at.session_state["phase_status_by"] = "By status"
    at.run()
    status = md_tables(at)[0]
    assert status[0][0] == "Status"
    at.session_state["phase_status_by"] = "By phase"
    at.run()
    assert phase[0] == ["Phase", "Rheumatology", "Transplant", "Endocrinology", "Gastroenterology", "Neurology",
                        "Dermatology", "Other", "All trials", "Participants planned (sum, computed)",
                        "Trials stating enrolment"]
    assert len(status[0]) == len(phase[0])
    at.toggle(key="by_phase_detail").set_value(True).run()
    assert not at.exception
    detail = md_tables(at)[1]
    assert detail[0] == ["Phase", "Disease area", "Indication", "Trials", "Participants planned (sum, computed)",
                         "Trials stating enrolment"]
    assert any("Rows 1–25 of" in c.value for c in at.caption)  # paged: every indication and phase, 25 at a time
