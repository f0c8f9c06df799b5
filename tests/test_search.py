"""Full-text search (trialdb.search) on the session's database, SQLite or PostgreSQL: drugs, other
names, sponsors, collaborators, NCT ids, accents; every word must match; hostile text is inert; the
index follows imports."""

from __future__ import annotations

import shutil

import pytest

from tests import portfolio_support
from tests.conftest import REPO
from trialdb import queries, search

ALL = ("SLE", "RA", "pSS")
SEARCHES = {
    "hrIL-2": {"NCT02465580", "NCT02467504", "NCT02464319"},  # an intervention name, hyphenated
    # a drug; NCT02464319's eligibility criteria name it too (free text is searched as well)
    "belimumab": {"NCT05262686", "NCT02464319"},
    "belim": {"NCT05262686", "NCT02464319"},  # a word's start
    "Loxoprofen": {"NCT02467504"},  # a background drug
    "Monash": {"NCT02465580"},  # a collaborator
    "Peking University People's Hospital": {"NCT02465580"},  # a lead sponsor
    "NCT02467504": {"NCT02467504"},  # an NCT id
    "nct0246758": set(),
    "Sjogren": {"NCT02464319"},  # the source writes Sjögren
    "SJÖGREN": {"NCT02464319"},
    "rheumatoid arthritis": {"NCT02467504"},  # a condition; both words
    "rheumatoid lupus": set(),
    "zzzz": set(),
}
HOSTILE = ['"', '"lupus', "NEAR(lupus", "lupus*", "-lupus", "lupus OR", "NOT lupus", "lupus AND", "^lupus",
           "x' OR 1=1; DROP TABLE studies; --", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "lupus:*", "a & b | !c", "(", ")", "\\", "%", "_", "\x00", "a" * 10_000, "lupus " * 5_000]


def matches(engine, text: str) -> set[str]:
    return set(queries.studies(engine, queries.Filters(ALL, query=text)).nct_id)


@pytest.mark.parametrize("text", list(SEARCHES))
def test_search_finds_the_right_trials(engine, text):
    assert matches(engine, text) == SEARCHES[text]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_plain_words(engine, text):
    found = matches(engine, text)  # never an error
    words = search.words(text)
    if not words:
        assert found == matches(engine, "")  # nothing to search for: the filter alone
    assert len(queries.studies(engine, queries.Filters(ALL)).nct_id) == 4  # the database is intact


def test_expressions_hold_only_quoted_tokens():
    assert search.fts5_expression('hrIL-2 "NEAR(x" OR*') == '"hril 2"* AND "near x"* AND "or"*'
    assert search.tsquery_expression("hrIL-2 Sjögren") == "(hril <-> 2:*) & (sjogren:*)"
    assert len(search.clean_query("a" * 10_000)) == search.MAX_CHARS
    assert len(search.words("w " * 100)) == search.MAX_WORDS


def test_search_combines_with_the_filter(engine):
    f = queries.Filters(("RA",), query="hrIL-2")
    assert set(queries.studies(engine, f).nct_id) == {"NCT02467504"}
    assert queries.headline(engine, f)["trials"] == 1
    assert set(queries.regimens(engine, queries.Filters(ALL, query="belimumab")).nct_id) == {"NCT05262686", "NCT02464319"}


@pytest.mark.sqlite_only
def test_an_import_refreshes_the_index(tmp_path, db_path):
    """Imported trials (with an acronym, other names, collaborators) are found at once."""
    from trialdb.registry.importer import import_files
    from trialdb.store.db import make_engine

    db = tmp_path / "imported.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        assert matches(engine, "BIOSS") == set()
        import_files(engine, [REPO / "tests" / "fixtures" / "ctgov" / "NCT03475563.json"], portfolio_support.inputs())
        inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
        found = set(queries.studies(engine, queries.Filters(inds, query="BIOSS")).nct_id)
        assert found == {"NCT03475563"}  # its acronym
        assert "NCT03475563" in set(queries.studies(engine, queries.Filters(inds, query="NCT03475563")).nct_id)
        assert set(queries.studies(engine, queries.Filters(inds, query="belimumab")).nct_id) == SEARCHES["belimumab"]
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_acronym_is_stored_with_its_source(tmp_path, db_path):
    from sqlalchemy.orm import Session

    from trialdb.check import check
    from trialdb.registry.importer import import_files
    from trialdb.store import models as m
    from trialdb.store.db import make_engine

    db = tmp_path / "acronym.sqlite3"
    shutil.copy(db_path, db)
    engine = make_engine(f"sqlite:///{db}")
    try:
        import_files(engine, [REPO / "tests" / "fixtures" / "ctgov" / "NCT03475563.json"], portfolio_support.inputs())
        with Session(engine) as session:
            assert session.get(m.Study, "NCT03475563").acronym == "BIOSS"
            assert session.get(m.Study, "NCT02465580").acronym is None  # the seed sources state none
            quote = session.query(m.Provenance).filter_by(subject="NCT03475563",
                                                          path="identificationModule.acronym").one().quote
            assert quote == '"BIOSS"'
        assert check(engine, coverage=False).ok
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_synthetic_portfolio_is_searchable(tmp_path):
    from trialdb.store.db import make_engine
    from trialdb.synthetic import generate

    generate(f"sqlite:///{tmp_path / 's.sqlite3'}", n=120)
    engine = make_engine(f"sqlite:///{tmp_path / 's.sqlite3'}", readonly=True)
    try:
        inds = tuple(c for c, _, _ in queries.filter_options(engine)["indications"])
        assert set(queries.studies(engine, queries.Filters(inds, query="NCT90000007")).nct_id) == {"NCT90000007"}
        # A sponsor's name, accents folded, finds the trials it leads or collaborates on (the sponsor filter's)
        sponsor = set(queries.studies(engine, queries.Filters(inds, query="Charite Universitatsmedizin")).nct_id)
        named = queries.Filters(inds, sponsors=("Charité - Universitätsmedizin Berlin",))
        assert sponsor == set(queries.studies(engine, named).nct_id) and len(sponsor) > 3
    finally:
        engine.dispose()


# Where a search matched (issue 33): the field and its words, ranked by field, the same on SQLite and PostgreSQL
# (computed from the stored text in Python, trialdb.search.where_matched).

def marked(snippet: str) -> list[str]:
    """The words a snippet marks."""
    return [part.split(search.MARK_END)[0] for part in snippet.split(search.MARK_START)[1:]]


def ranked(engine, text: str, f=None) -> list[tuple[str, search.Where]]:
    f = f or queries.Filters(ALL, query=text)
    return sorted(queries.search_matches(engine, f).items(), key=lambda kv: kv[1].rank)


def test_belimumab_ranks_the_belimumab_trial_above_an_exclusion_criterion(engine):
    """The Sjögren's trial matches "belimumab" only because its exclusion criteria name it: it ranks second and
    says so, with the criterion's words and belimumab marked."""
    (first, w1), (second, w2) = ranked(engine, "belimumab")
    assert (first, second) == ("NCT05262686", "NCT02464319")
    assert w1.rank == (0, 0) and w1.hits[0].field == "Brief title" and marked(w1.hits[0].snippet) == ["Belimumab"]
    assert w2.rank == (2, 2) and [h.field for h in w2.hits] == ["Eligibility criteria"]
    assert marked(w2.hits[0].snippet) == ["belimumab"] and "rituximab, " in w2.hits[0].snippet
    # a prefix marks the whole word it starts; two words are both marked in the field that has both
    assert marked(ranked(engine, "belim")[0][1].hits[0].snippet) == ["Belimumab"]
    (only, w), = ranked(engine, "belimumab lupus")
    assert only == "NCT05262686" and marked(w.hits[0].snippet) == ["Belimumab", "Lupus"]
    # accents folded on both sides, the source's spelling shown
    assert marked(ranked(engine, "sjogren")[0][1].hits[0].snippet) == ["Sjögren"]
    (_, w), = ranked(engine, "Monash")
    assert w.rank == (1, 1) and w.hits[0].field == "Sponsor or collaborator"


def test_the_overview_lists_where_each_trial_matched(engine):
    from dashboard import frames, ui

    f = queries.Filters(ALL, query="belimumab")
    trials = queries.studies(engine, f)
    table = frames.with_matches(frames.trials_table(trials), trials.nct_id.tolist(), queries.search_matches(engine, f))
    assert list(table.columns[:4]) == ["NCT id", "Title", "Matched in", "Where it matched"]
    assert [n.rsplit("/", 1)[1] for n in table["NCT id"]] == ["NCT05262686", "NCT02464319"]
    assert list(table["Matched in"]) == ["Brief title", "Eligibility criteria"]
    html = ui.html_table(table)
    assert "<mark>Belimumab</mark>" in html and "<mark>belimumab</mark>" in html
    assert search.MARK_START not in ui.unmarked(table).to_csv() and "rituximab, belimumab" in ui.unmarked(table).to_csv()


def test_a_snippet_is_cut_around_its_match_and_escaped_where_drawn():
    from dashboard import ui

    text = "word " * 40 + "<img src=x onerror=alert(1)> belimumab [x](javascript:1) " + "tail " * 60
    tokens = search._tokens(text)
    s = search.snippet(text, search._spans(tokens, ["belim"]))
    assert s.startswith("…") and s.endswith("…") and marked(s) == ["belimumab"]
    assert len(s) < search.SNIPPET_BEFORE + search.SNIPPET_AFTER + 10
    cell = ui._cell_html(s)
    assert "<img" not in cell and "&lt;img" in cell and "<mark>belimumab</mark>" in cell
    assert "**belimumab**" in ui._cell_md(s) and "\\[x\\]" in ui._cell_md(s)
    # marks in the source text are not marks: stripped before marking
    text = f"a {search.MARK_START}b{search.MARK_END} c belimumab"
    s = search.snippet(text, search._spans(search._tokens(text), ["belimumab"]))
    assert marked(s) == ["belimumab"] and s.startswith("a b c")
    # a word of several tokens matches them in order, the last as a prefix
    assert search._spans(search._tokens("low-dose hrIL-2 given"), ["hril", "2"]) == [(9, 15)]
    assert search._spans(search._tokens("IL-2 hr"), ["hril", "2"]) == []


@pytest.fixture(scope="module")
def results_engine(tmp_path_factory):
    from tests.results_db import build_results_database
    from trialdb.store.db import make_engine

    eng = make_engine(build_results_database(tmp_path_factory.mktemp("search_real")), readonly=True)
    yield eng
    eng.dispose()


def test_real_records_rank_a_title_above_an_exclusion_criterion(results_engine):
    """Real registry records: NCT00763412 treats pre-diabetes (its title and conditions); NCT05594173, a study of
    chewing, excludes people with "Type 1 Diabetes" in its eligibility criteria."""
    every = queries.Filters(None, query="diabetes")
    order = [n for n, _ in ranked(results_engine, "diabetes", every)]
    assert order.index("NCT00763412") < order.index("NCT05594173")
    found = dict(ranked(results_engine, "diabetes", every))
    title = found["NCT00763412"]
    assert title.rank[0] == 0 and title.hits[0].field in ("Brief title", "Official title", "Condition")
    assert "diabetes" in [w.lower() for w in marked(title.hits[0].snippet)]
    chew = found["NCT05594173"]
    assert chew.rank[0] == 2 and chew.hits[0].field == "Eligibility criteria"
    assert marked(chew.hits[0].snippet) == ["Diabetes"] and "Type 1" in chew.hits[0].snippet
    # a condition; a word of the free text only (the summary, the first such field in the record's order)
    (n, w), = ranked(results_engine, "dysphagia", queries.Filters(None, query="dysphagia"))
    assert n == "NCT05594173" and w.hits[0].field == "Condition" and w.rank[0] == 0
    w = dict(ranked(results_engine, "bolus", queries.Filters(None, query="bolus")))["NCT05594173"]
    assert w.hits[0].field == "Brief summary" and w.rank[0] == 2 and marked(w.hits[0].snippet)[0].lower() == "bolus"


@pytest.mark.parametrize("text,word", [
    ("Low-dose hrIL-2 (1 MIU) daily; hril-2x", ["hril", "2"]), ("IL-2, IL2, il_2 and ILX", ["il"]),
    ("belimumab/rituximab", ["rit"]), ("a_b a-b ab", ["a", "b"]), ("NCT02467504.", ["nct0246"]),
    ("x" * 50 + " 12 mg/kg", ["12", "mg", "kg"]), ("", ["a"]), ("Sjögren's syndrome", ["sjogren"]),
])
def test_the_fast_path_finds_what_the_tokens_find(text, word):
    """word_spans reads ASCII text with a regular expression: the same spans as the token by token reading."""
    assert search.word_spans(text, word) == search._spans(search._tokens(text), word)


def test_past_max_free_text_a_match_is_ranked_and_its_field_not_named(monkeypatch, engine):
    monkeypatch.setattr(search, "MAX_FREE_TEXT", 0)
    (_, w1), (_, w2) = ranked(engine, "belimumab")
    assert w1.hits[0].field == "Brief title"  # the short fields are always read
    assert w2.rank == (2, 2) and [(h.field, h.snippet) for h in w2.hits] == [(search.FREE_TEXT, "")]
