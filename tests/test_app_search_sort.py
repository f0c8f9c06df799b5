"""The sidebar search and the tables' sort control in AppTest: a search for a drug, a sponsor, an NCT
id and a word with an accent finds the right trials on every page; no match gives a clear empty state;
hostile text is inert; sorting by each column of the trials table, both ways, across pages of rows."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages import registered_pages
from tests.test_app import APP, DOSING_PARTS, app_database, dosing_part, md_tables

PAGES = registered_pages()
ALL = {"NCT02465580", "NCT05262686", "NCT02467504", "NCT02464319"}
SEARCHES = {"belimumab": {"NCT05262686", "NCT02464319"}, "hrIL-2": ALL - {"NCT05262686"}, "Monash": {"NCT02465580"},
            "NCT02467504": {"NCT02467504"}, "Sjogren": {"NCT02464319"}}
HOSTILE = ['"NEAR(lupus', "<script>alert(1)</script>", "x' OR 1=1; DROP TABLE studies; --", "a" * 10_000, "*"]
NCT = re.compile(r"NCT\d{8}")


def searched(text: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.text_input(key="q").set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_trials(at: AppTest) -> set[str]:
    """NCT ids the page shows: in its tables, titles, text and trial pickers."""
    # Not the notices: the Outcomes page's empty state names the trials that do have outcomes.
    text = "\n".join(str(x.value) for x in [*at.markdown, *at.html, *at.caption, *at.subheader, *at.header])
    for widget in [*at.selectbox, *at.multiselect]:
        if widget.key in ("nct", "dosing_trial"):
            text += " ".join(map(str, widget.options))
    return set(NCT.findall(text))


@pytest.mark.parametrize("text", list(SEARCHES))
def test_search_finds_the_right_trials_on_every_page(text):
    at = searched(text)
    want = SEARCHES[text]
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.text_input(key="q").value == text  # kept across pages
        assert any(f"**{len(want)}** of 4 trials match the search" in c.value for c in at.caption), page
        seen = shown_trials(at)
        if page == "dosing":  # a tab at a time: what every tab shows
            for part in DOSING_PARTS:
                seen |= shown_trials(dosing_part(at, part))
        # Publications may cite registrations outside the database (NCT02932137): only ours count.
        assert seen & ALL <= want, (page, seen)
        if page in ("overview", "trial_record", "compare"):
            assert want <= seen, (page, seen)


def test_a_search_that_matches_nothing_says_so_on_every_page():
    at = searched("zzzz")
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("No trials match the search “zzzz”" in i.value for i in at.info), page
        assert not at.get("plotly_chart") and not md_tables(at), page


@pytest.mark.parametrize("text", HOSTILE, ids=["fts", "html", "sql", "10000", "star"])
def test_hostile_search_is_inert_on_every_page(text):
    at = searched(text)
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
    caption = next(c.value for c in at.caption if "trials match" in c.value)
    assert "<script>" not in caption and len(caption) < 400  # escaped, and shortened
    if text == "a" * 10_000:
        assert any("Only the first 200 characters" in c.value for c in at.sidebar.caption)


def _key(value: str, column: str):
    """Independent of dashboard.sorting: what a reader expects the column to be ordered by."""
    if "not stated in source" in value or value == "":
        return None
    if column == "Enrolment":
        return int(value.split()[0])
    return value.casefold()


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    from trialdb.synthetic import generate

    path = tmp_path_factory.mktemp("sort") / "synthetic.sqlite3"
    generate(f"sqlite:///{path}", n=200)
    return f"sqlite:///{path}"


@pytest.mark.sqlite_only
def test_every_column_sorts_both_ways_across_pages(synthetic_db):
    """200 trials, 8 pages: pages 1, 2 and the last, read in order, are ordered by the chosen column,
    missing values last both ways (the URL keeps the order: the next test and the browser test)."""
    with app_database(synthetic_db):
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        columns = [c for c in at.selectbox(key="overview_trials_sort").options if c != "(as listed)"]
        assert columns[:3] == ["NCT id", "Title", "Indication"] and "Start" in columns
        for column in columns:
            for order in ("ascending", "descending"):
                at.selectbox(key="overview_trials_sort").set_value(column).run()
                at.radio(key="overview_trials_order").set_value(order).run()
                assert not at.exception, (column, order)
                rows = []
                for page in (1, 2, 8):
                    at.number_input(key="overview_trials_page").set_value(page).run()
                    header, *body = md_tables(at)[0]
                    rows += [r[header.index(column)] for r in body]
                assert len(rows) == 75
                keys = [_key(v, column) for v in rows]
                present = [k for k in keys if k is not None]
                assert keys[: len(present)] == present, (column, order, "missing values not last")
                assert present == sorted(present, reverse=order == "descending"), (column, order, rows[:5])
        # A new order starts again at the first page.
        at.number_input(key="overview_trials_page").set_value(5).run()
        at.selectbox(key="overview_trials_sort").set_value("Title").run()
        assert at.number_input(key="overview_trials_page").value == 1


@pytest.mark.sqlite_only
def test_sort_order_comes_from_the_url(synthetic_db):
    with app_database(synthetic_db):
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["overview_trials_sort"] = "Enrolment"
        at.query_params["overview_trials_order"] = "descending"
        at.run()
        assert not at.exception
        header, *body = md_tables(at)[0]
        enrol = [int(r[header.index("Enrolment")].split()[0]) for r in body]
        assert enrol == sorted(enrol, reverse=True) and enrol[0] >= 390


def test_the_overview_says_where_each_trial_matched():
    """Searching "belimumab": the belimumab trial first (its title), then the Sjögren's trial, whose exclusion
    criteria name it, each with the field and its words, belimumab marked; a hostile search is marked nowhere."""
    at = searched("belimumab")
    table = md_tables(at)[0]
    assert table[0][:4] == ["NCT id", "Title", "Matched in", "Where it matched"]
    assert [NCT.search(r[0]).group(0) for r in table[1:]] == ["NCT05262686", "NCT02464319"]  # type: ignore[union-attr]
    assert [r[2] for r in table[1:]] == ["Brief title", "Eligibility criteria"]
    assert "rituximab, belimumab, other immunosuppressives" in table[2][3]
    body = next(h.proto.body for h in at.html if "<table>" in h.proto.body)
    assert "<mark>Belimumab</mark>" in body and "<mark>belimumab</mark>" in body
    assert any("Best match first" in c.value for c in at.caption)
    at = searched("<script>alert(1)</script>")
    assert not any("<mark>" in h.proto.body or "<script>" in h.proto.body for h in at.html)
