"""`python -m trialdb sync` against a local server speaking the ClinicalTrials.gov API v2 protocol
(tests/ctgov_server.py) serving real records: pagination, incremental runs, changes, seed trials, every
fault, and a kill; after each failure the database is checked whole and the record files untouched."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import REPO, TEST_URL, file_hash
from tests.ctgov_server import CtgovServer, Registry, real_records
from tests.sync_support import (
    database_with_changes,
    own_database,
    run_sync,
    seed_copy,
    seed_trial_record,
)
from trialdb import schema
from trialdb.build import build
from trialdb.check import check
from trialdb.errors import SourceError
from trialdb.registry.changes import list_changes
from trialdb.registry.client import RateLimit, RegistryError
from trialdb.store import models as m
from trialdb.store.db import make_engine
from trialdb.store.freshness import is_fresh

REAL = sorted(real_records())  # 9 real records: 4 single ones and 5 of a search page


@pytest.fixture
def env(tmp_path):
    """A database built from a copy of seed_data/ (its own registry folder) and a test server."""
    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        build(url, seed)
        with CtgovServer() as srv:
            yield url, seed, srv


def snapshot(url: str) -> dict:
    """What a database holds, table by table (row counts) and the studies' statuses: compared before and
    after a failed sync. SQLite: also PRAGMA integrity_check."""
    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as s:
            out = {t.name: s.scalar(select(func.count()).select_from(t)) for t in schema.metadata.sorted_tables}
            out["statuses"] = sorted(s.execute(select(m.Study.nct_id, m.Study.overall_status)).all())
            if engine.dialect.name == "sqlite":
                out["integrity"] = s.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
        return out
    finally:
        engine.dispose()


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m trialdb ARGS` against `url` (given as TRIALDB_URL: SQLite or PostgreSQL alike)."""
    return subprocess.run([sys.executable, "-m", "trialdb", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "TRIALDB_URL": url})


def files(seed) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((seed / "registry").glob("*.json"))}


def test_full_sync_pages_imports_keeps_files_and_checks(env):
    url, seed, srv = env
    report = run_sync(url, seed, srv, page_size=2)
    assert report.ok and report.total == len(REAL) and report.fetched == len(REAL)
    assert sorted(report.new) == REAL and report.changed == [] and report.changes == len(REAL)
    pages = [p for path, p in srv.registry.requests if path.endswith("/studies")]
    assert len(pages) == 5 and [p.get("pageToken") for p in pages] == [None, "page2", "page4", "page6", "page8"]
    assert pages[0]["query.term"].startswith("AREA[InterventionSearch](") and "aldesleukin" in pages[0]["query.term"]
    assert "filter.advanced" not in pages[0]  # the first sync reads everything
    on_disk = files(seed)
    assert sorted(on_disk) == [*sorted(f"{n}.json" for n in REAL), "changes.json"]
    rec = json.loads(on_disk["NCT03418623.json"])
    assert rec["fetchedAt"].endswith("Z") and rec["study"] == real_records()["NCT03418623"]
    engine = make_engine(url, readonly=True)
    try:
        result = check(engine)
        assert result.ok and result.facts > 700, result.failures[:3]
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(m.Study)) == 4 + len(REAL)
            alc = s.get(m.Study, "NCT03418623")
            assert alc.indication_code == "Alcoholism"  # the registry's MeSH descriptor decided
            assert s.get(m.Study, "NCT03475563").indication_code == "CAD"  # in the indication table
            doc = s.get(m.Document, alc.document_id)
            assert doc.name.startswith("registry/NCT03418623.json#") and doc.text == on_disk["NCT03418623.json"]
    finally:
        engine.dispose()
    assert is_fresh(url, seed)  # the files are part of seed_data/ now, and the database knows it


def test_second_sync_is_incremental_and_finds_nothing_new(env):
    url, seed, srv = env
    run_sync(url, seed, srv)
    before = files(seed)
    again = run_sync(url, seed, srv)
    assert again.ok and again.new == [] and again.changed == [] and again.changes == 0
    assert again.mode.startswith("incremental since")
    advanced = srv.registry.requests[-1][1]["filter.advanced"]
    assert advanced.startswith("AREA[LastUpdatePostDate]RANGE[") and advanced.endswith(",MAX]")
    full = run_sync(url, seed, srv, full=True)
    assert full.new == [] and full.changed == [] and sorted(full.unchanged) == REAL and full.changes == 0
    # Records that did not change are not rewritten (a weekly sync commits only what changed).
    assert {k: v for k, v in files(seed).items() if k != "changes.json"} == {
        k: v for k, v in before.items() if k != "changes.json"}


def test_a_change_on_the_server_is_exactly_what_the_next_sync_reports(env):
    url, seed, srv = env
    run_sync(url, seed, srv)
    srv.registry.set("NCT03475563", "statusModule.overallStatus", "COMPLETED")
    srv.registry.set("NCT03475563", "statusModule.lastUpdatePostDateStruct", {"date": "2099-12-01", "type": "ACTUAL"})
    report = run_sync(url, seed, srv)
    assert report.changed == ["NCT03475563"] and report.new == [] and report.changes == 1
    engine = make_engine(url, readonly=True)
    try:
        latest = [c for c in list_changes(engine) if c["detected"] == report.sync_id]
    finally:
        engine.dispose()
    assert [(c["nct_id"], c["field"], c["old"], c["new"], c["last_update"]) for c in latest] == [
        ("NCT03475563", "protocolSection.statusModule.overallStatus", "UNKNOWN", "COMPLETED", "2099-12-01")]
    out = cli(url, "changes", "--json", "--since", report.sync_id[:10])
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert {"nct_id": "NCT03475563", "field": "protocolSection.statusModule.overallStatus", "old": "UNKNOWN",
            "new": "COMPLETED", "last_update": "2099-12-01", "detected": report.sync_id} in shown
    assert all(set(c) == {"nct_id", "field", "old", "new", "last_update", "detected"} for c in shown)
    text = cli(url, "changes")
    assert "NCT03475563  protocolSection.statusModule.overallStatus: UNKNOWN -> COMPLETED" in text.stdout
    bad = cli(url, "changes", "--since", "last week")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_every_tracked_field_and_a_new_arm(env):
    url, seed, srv = env
    run_sync(url, seed, srv)
    reg = srv.registry
    ps = reg.studies["NCT03418623"]["protocolSection"]
    ps["designModule"]["phases"] = ["PHASE3"]
    ps["designModule"]["enrollmentInfo"] = {"count": 30, "type": "ESTIMATED"}
    ps["statusModule"]["completionDateStruct"] = {"date": "2030-01", "type": "ESTIMATED"}
    ps["armsInterventionsModule"]["armGroups"].append({"label": "Open extension", "type": "EXPERIMENTAL"})
    ps["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = "Another sponsor"
    ps["statusModule"]["lastUpdatePostDateStruct"] = {"date": "2099-02-03", "type": "ACTUAL"}
    report = run_sync(url, seed, srv)
    engine = make_engine(url, readonly=True)
    try:
        fields = {c["field"]: (c["old"], c["new"]) for c in list_changes(engine) if c["detected"] == report.sync_id}
    finally:
        engine.dispose()
    p = "protocolSection."
    assert fields == {
        p + "designModule.phases": (["PHASE2"], ["PHASE3"]),
        p + "designModule.enrollmentInfo.count": (24, 30),
        p + "designModule.enrollmentInfo.type": ("ACTUAL", "ESTIMATED"),
        p + "statusModule.completionDateStruct": ({"date": "2020-03-13", "type": "ACTUAL"},
                                                  {"date": "2030-01", "type": "ESTIMATED"}),
        p + "armsInterventionsModule.armGroups[].label": (["GET73", "Placebo"], ["GET73", "Placebo", "Open extension"]),
        p + "sponsorCollaboratorsModule.leadSponsor.name": (fields[p + "sponsorCollaboratorsModule.leadSponsor.name"][0],
                                                           "Another sponsor"),
    }


def test_single_records_by_nct(env):
    url, seed, srv = env
    report = run_sync(url, seed, srv, ncts=["NCT03418623", "NCT05594173"])
    assert sorted(report.new) == ["NCT03418623", "NCT05594173"] and report.mode == "records"
    assert [p for p, _ in srv.registry.requests] == ["/api/v2/studies/NCT03418623", "/api/v2/studies/NCT05594173"]
    with pytest.raises(RegistryError, match="not found"):
        run_sync(url, seed, srv, ncts=["NCT00000001"])
    with pytest.raises(RegistryError, match="not an NCT id"):
        run_sync(url, seed, srv, ncts=["NCT1"])


def test_refused_records_are_named_never_written_and_the_others_land(env, tmp_path):
    url, seed, srv = env
    reg = srv.registry
    bad_id = json.loads(json.dumps(reg.studies["NCT03475563"]))
    bad_id["protocolSection"]["identificationModule"]["nctId"] = "NCT123"
    bad_value = json.loads(json.dumps(reg.studies["NCT05594173"]))
    bad_value["protocolSection"]["identificationModule"]["nctId"] = "NCT09999999"
    bad_value["protocolSection"]["statusModule"]["overallStatus"] = "Paused"  # not an API token ("PAUSED" is kept)
    no_sponsor = json.loads(json.dumps(reg.studies["NCT03418623"]))
    no_sponsor["protocolSection"]["identificationModule"]["nctId"] = "NCT09999998"
    del no_sponsor["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"]
    reg.studies.update({"NCT123": bad_id, "NCT09999999": bad_value, "NCT09999998": no_sponsor})
    report = run_sync(url, seed, srv)
    assert not report.ok and sorted(report.new) == REAL
    why = dict(report.refused)
    named = next(k for k in why if "'NCT123'" in k)
    assert named.startswith("record ") and "not an NCT id: 'NCT123'" in why[named]
    assert "$.study.protocolSection.statusModule.overallStatus" in why["NCT09999999"] and "Paused" in why["NCT09999999"]
    assert "REFUSED NCT09999999" in report.summary()
    assert "leadSponsor.name" in why["NCT09999998"] and "missing" in why["NCT09999998"]
    assert not (seed / "registry" / "NCT09999999.json").exists() and not list((seed / "registry").glob("NCT123*"))
    # The command says so and exits non-zero, so a scheduler notices.
    proc = cli(url, "sync", "--api", srv.api, "--seed", str(seed), "--rate", "0", "--full", "--no-pubmed")
    assert proc.returncode == 1 and "REFUSED NCT09999999" in proc.stdout and "1 new" not in proc.stdout
    assert "3 record(s) refused" in proc.stderr and "Traceback" not in proc.stderr


# fault -> (what the server does, whether the sync then succeeds, what the error says)
FAULTS = {
    "429 with Retry-After": (lambda r: r.faults.extend(["429"]), True, None),
    "503 twice": (lambda r: r.faults.extend(["503", "503"]), True, None),
    "500 every time": (lambda r: r.faults.extend(["500"] * 10), False, "kept failing"),
    "timeout once": (lambda r: r.faults.extend(["timeout"]), True, None),
    "timeout every time": (lambda r: r.faults.extend(["timeout"] * 10), False, "timed out"),
    "connection cut mid-body once": (lambda r: r.faults.extend([None, "truncated"]), True, None),  # type: ignore[list-item]
    "connection cut mid-body every time": (lambda r: r.faults.extend([None] + ["truncated"] * 10), False,  # type: ignore[list-item]
                                           r"studies\?.*pageToken=page3.*: the response was cut short.*kept failing"),
    # HTTP 200, a whole response whose body is not complete JSON: a transient fault like a 5xx
    "truncated JSON once": (lambda r: r.faults.extend([None, "truncated_json"]), True, None),  # type: ignore[list-item]
    "truncated JSON every time": (lambda r: r.faults.extend([None] + ["truncated_json"] * 10), False,  # type: ignore[list-item]
                                  r"studies\?.*pageToken=page3.*: the page is not JSON, or was cut short.*kept failing: 3 tries"),
    "not JSON once": (lambda r: r.faults.extend(["not_json"]), True, None),
    "not JSON every time": (lambda r: r.faults.extend(["not_json"] * 10), False, "not JSON.*kept failing"),
    "repeating page token": (lambda r: setattr(r, "repeat_token", True), False, "repeats"),
    "error page": (lambda r: r.faults.extend(["html_error"]), False, "HTTP 400"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_retry_or_fail_cleanly_leaving_everything_whole(env, fault):
    url, seed, srv = env
    run_sync(url, seed, srv, ncts=["NCT03418623"])  # something in the database and on disk already
    before, on_disk = snapshot(url), files(seed)
    srv.registry.requests.clear()
    make, succeeds, message = FAULTS[fault]
    make(srv.registry)
    srv.registry.timeout_sleep = 2.5  # beyond the client's 2 s read timeout
    t0 = time.monotonic()
    if succeeds:
        report = run_sync(url, seed, srv, full=True)
        assert report.ok and sorted(report.new + report.unchanged) == REAL
        if fault.startswith("429"):
            assert time.monotonic() - t0 >= 1.0  # Retry-After: 1 was honoured
            assert len(srv.registry.requests) == 3 + 1  # 3 pages of 3, the first asked twice
        assert snapshot(url)["studies"] == 4 + len(REAL)
        return
    with pytest.raises(RegistryError, match=message):
        run_sync(url, seed, srv, full=True, retries=2)
    after = snapshot(url)
    assert after == before and after.get("integrity", "ok") == "ok"
    assert files(seed) == on_disk  # nothing written
    srv.registry.faults.clear()
    srv.registry.repeat_token = False
    assert run_sync(url, seed, srv, full=True).ok  # and the next sync succeeds


def test_a_repeating_token_stops_at_once(env):
    url, seed, srv = env
    srv.registry.repeat_token = True
    with pytest.raises(RegistryError, match="repeats"):
        run_sync(url, seed, srv)
    assert len(srv.registry.requests) == 2  # page 1 names "page1"; "page1" names itself again: stopped


def test_the_cli_reports_a_fault_and_writes_nothing(env):
    url, seed, srv = env
    before = snapshot(url)
    file_before = file_hash(Path(url.removeprefix("sqlite:///"))) if url.startswith("sqlite") else None
    srv.registry.faults.extend(["html_error"])
    proc = cli(url, "sync", "--api", srv.api, "--seed", str(seed), "--rate", "0")
    assert proc.returncode == 2 and "HTTP 400" in proc.stderr and "Nothing was written" in proc.stderr
    assert "Traceback" not in proc.stderr and snapshot(url) == before and files(seed) == {}
    if file_before is not None:
        assert file_hash(Path(url.removeprefix("sqlite:///"))) == file_before  # not a byte changed


def test_seed_trials_keep_their_facts_and_the_registry_record_is_kept_beside(env):
    url, seed, srv = env
    rec = seed_trial_record(url, "NCT02467504")
    rec["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    rec["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 12, "type": "ACTUAL"}
    srv.registry.studies["NCT02467504"] = rec
    report = run_sync(url, seed, srv)
    assert report.seed_kept == ["NCT02467504"] and "NCT02467504" not in report.new
    from trialdb.registry.changes import seed_registry_differences

    engine = make_engine(url, readonly=True)
    try:
        with Session(engine) as s:
            st = s.get(m.Study, "NCT02467504")
            assert st.overall_status == "COMPLETED" and st.enrollment == 47  # the seed facts stay
            assert s.get(m.Document, st.document_id).format == "ClinicalTrials.Veeva page"
            assert s.get(m.SeedRegistryRecord, "NCT02467504") is not None
        diffs = {d.field: (d.seed, d.registry) for d in seed_registry_differences(engine, "NCT02467504")}
        assert diffs["Overall status"] == ("Completed", "Terminated")
        assert diffs["Enrolment"] == ("47", "12")
        assert check(engine).ok
    finally:
        engine.dispose()
    assert (seed / "registry" / "NCT02467504.json").exists()


def test_a_rebuild_from_seed_data_carries_records_and_changes_over(tmp_path):
    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        database_with_changes(url, seed)
        engine = make_engine(url, readonly=True)
        try:
            history = list_changes(engine)
        finally:
            engine.dispose()
        with own_database(tmp_path / "other") if TEST_URL else contextlib.nullcontext(
                f"sqlite:///{tmp_path / 'rebuilt.sqlite3'}") as fresh:
            build(fresh, seed)  # a new machine, such as Streamlit Community Cloud after a restart
            engine = make_engine(fresh, readonly=True)
            try:
                assert list_changes(engine) == history and len(history) > len(REAL)
                with Session(engine) as s:
                    assert s.scalar(select(func.count()).select_from(m.Study)) == 4 + len(REAL)
                    assert s.get(m.Study, "NCT03418623").overall_status == "TERMINATED"
                    assert s.get(m.Study, "NCT02465580").enrollment != 100  # the seed's, not the registry's
                    assert s.get(m.Meta, "registry_synced_at") is not None
                assert check(engine).ok
            finally:
                engine.dispose()


def test_killed_sync_leaves_the_previous_database_whole(tmp_path):
    """SIGKILL `python -m trialdb sync` at several moments against a slow server: the previous database
    stays whole (integrity ok on SQLite, the same rows), and the next sync succeeds. SQLite: the copy aside
    is never swapped in half-done; PostgreSQL: the open transaction dies with the process."""
    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        build(url, seed)
        reg = Registry()
        reg.delay = 0.15
        with CtgovServer(reg) as srv:
            for delay in (0.5, 1.2, 2.0, 2.6, 3.2):
                before = snapshot(url)
                proc = subprocess.Popen([sys.executable, "-m", "trialdb", "sync", "--api", srv.api, "--seed", str(seed),
                                         "--rate", "0", "--page-size", "1", "--full", "--no-pubmed"], cwd=REPO,
                                        env={**os.environ, "TRIALDB_URL": url},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                after = snapshot(url)
                assert after.get("integrity", "ok") == "ok"
                assert after == before or after["studies"] == 4 + len(REAL)  # the old database, or the whole new one
                if url.startswith("sqlite"):
                    con = sqlite3.connect(f"file:{url.removeprefix('sqlite:///')}?mode=ro", uri=True)
                    assert con.execute("SELECT count(*) FROM studies").fetchone()[0] in (4, 4 + len(REAL))
                    con.close()
            reg.delay = 0
            assert run_sync(url, seed, srv, full=True).ok
        assert snapshot(url)["studies"] == 4 + len(REAL)


def test_rate_limit_spaces_requests():
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limit = RateLimit(50, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limit.wait()
    assert slept == pytest.approx([1.2] * 4)  # 50 a minute: one every 1.2 s
    assert RateLimit(0).interval == 0


def test_the_default_query_comes_from_portfolio_toml():
    from trialdb.registry.sync import portfolio_term

    term = portfolio_term()
    assert term.startswith("AREA[InterventionSearch](") and " AND AREA[ConditionSearch](" in term
    for word in ('"interleukin-2"', "aldesleukin", "proleukin", '"low-dose IL-2"', '"recombinant human interleukin-2"',
                 '"type 1 diabetes"', '"graft versus host disease"', '"alopecia areata"', '"amyotrophic lateral sclerosis"',
                 '"ulcerative colitis"', "lupus"):
        assert word in term, word


def test_the_workflow_syncs_weekly_commits_records_and_writes_the_shared_database():
    text = (REPO / ".github" / "workflows" / "registry-sync.yml").read_text()
    for needed in ("schedule:", "cron:", "workflow_dispatch:", 'python-version: "3.11"',
                   "pip install -r requirements.txt", "python -m trialdb sync",
                   "git add seed_data/registry/ seed_data/pubmed/", "secrets.TRIALDB_URL", "contents: write",
                   "NCBI_EMAIL: ${{ secrets.NCBI_EMAIL }}", "NCBI_API_KEY: ${{ secrets.NCBI_API_KEY }}"):
        assert needed in text, needed
    assert re.search(r"^\s*git (-c \S+ )*push$", text, re.M)  # the token given to the push alone (issue 30)
    # the files job (with its PubMed step) and the shared database job (which loads the articles the first job
    # committed: no second round of requests to NCBI), --full from the manual input, through the environment
    assert text.count('python -m trialdb sync "$@"') == 1 and text.count('python -m trialdb sync --no-pubmed "$@"') == 1
    assert text.count("FULL: ${{ inputs.full }}") == 2


def test_validation_works_from_any_thread():
    """The app builds (and so validates seed trials' registry records) on a thread of its own."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.ctgov_server import FIXTURES
    from trialdb.registry.importer import document_from_text, validate_study

    doc, studies = document_from_text("x.json", (FIXTURES / "NCT03418623.json").read_text())
    validate_study(studies[0][1], studies[0][0], doc)
    with ThreadPoolExecutor(2) as pool:
        assert pool.submit(validate_study, studies[0][1], studies[0][0], doc).result().record
        bad = json.loads(json.dumps(studies[0][1]))
        bad["protocolSection"]["designModule"]["phases"] = ["Phase 9"]  # not an API token ("PHASE9" is kept)
        with pytest.raises(SourceError, match="phases"):
            pool.submit(validate_study, bad, "$", doc).result()


def test_the_summary_says_how_many_records_were_kept_and_set_aside_by_category(tmp_path):
    """Every fetched record is decided (trialdb.portfolio.classifier): the summary counts the kept and, by category, the
    set aside, as the database's decisions say; an IL-2 receptor antibody trial is set aside, not dropped."""
    from tests.test_regimen_import import record
    from trialdb.portfolio.classifier import CATEGORIES

    seed = seed_copy(tmp_path)
    studies = {**real_records(), "NCT99000001": record("NCT99000001"),
               "NCT99000004": record("NCT99000004", "Basiliximab", "Basiliximab 20 mg intravenously")}
    with own_database(tmp_path) as url:
        build(url, seed)
        with CtgovServer(Registry(studies)) as srv:
            report = run_sync(url, seed, srv)
        assert report.ok and sorted(report.portfolio) == sorted(studies)
        engine = make_engine(url, readonly=True)
        try:
            with Session(engine) as s:
                decided = {d.nct_id: d for d in s.scalars(select(m.PortfolioDecision))}
                assert s.scalar(select(func.count()).select_from(m.Study)) == 4 + len(studies)  # none dropped
        finally:
            engine.dispose()
        kept = sorted(n for n in studies if decided[n].included)
        aside: dict[str, list[str]] = {}
        for n in sorted(studies):
            if not decided[n].included:
                aside.setdefault(decided[n].category, []).append(n)
        assert report.kept == kept and report.set_aside == {c: aside[c] for c in CATEGORIES if c in aside}
        assert "NCT99000001" in kept and "NCT99000004" in aside["receptor-antibody"]
        counts = ", ".join(f"{CATEGORIES[c]}: {len(aside[c])}" for c in CATEGORIES if c in aside)
        assert f"portfolio: {len(kept)} kept as low-dose IL-2, {len(studies) - len(kept)} set aside ({counts})" \
            in report.summary().splitlines()


def test_a_tampered_record_file_is_caught_by_check_and_stops_the_build(tmp_path):
    """The sync records each file's sha256 as it validated and wrote it (registry/SHA256SUMS); the build
    trusts a file only while its sha256 matches, and `check` verifies every quote and the folder. A record
    edited by hand after the sync (still valid JSON, still within the API's rules) is named by both."""
    import hashlib

    seed = seed_copy(tmp_path)
    with own_database(tmp_path) as url:
        database_with_changes(url, seed)
        folder = seed / "registry"
        sums = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
        assert sums == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("NCT*.json")}
        assert len(sums) == len(REAL) + 1  # the real records and the seed trial's registry record
        checked = cli(url, "check", "--seed", str(seed))
        assert checked.returncode == 0 and "CHANGED" not in checked.stdout, checked.stdout
        with own_database(tmp_path / "other") if TEST_URL else contextlib.nullcontext(
                f"sqlite:///{tmp_path / 'rebuilt.sqlite3'}") as fresh:
            result = build(fresh, seed)  # trusted by hash: the registry files' quotes are not verified again
            assert result.report.ok and result.report.trusted > 1000
            assert result.report.facts - result.report.trusted > 250  # the seed documents' quotes, verified

            record = folder / "NCT03418623.json"
            record.write_text(record.read_text(encoding="utf-8").replace('"TERMINATED"', '"COMPLETED"', 1),
                              encoding="utf-8")
            checked = cli(url, "check", "--seed", str(seed))
            assert checked.returncode == 1, checked.stdout
            assert "CHANGED: seed_data/registry/NCT03418623.json" in checked.stdout
            assert "changed since the sync wrote it" in checked.stdout
            before = snapshot(fresh)
            with pytest.raises(SourceError) as exc:
                build(fresh, seed)
            assert exc.value.file == "registry/NCT03418623.json" and exc.value.field == "sha256"
            assert snapshot(fresh) == before  # the previous database is left as it was
            built = cli(fresh, "build", "--seed", str(seed))
            assert built.returncode == 2 and "registry/NCT03418623.json" in built.stderr
            assert "changed since the sync wrote it" in built.stderr
