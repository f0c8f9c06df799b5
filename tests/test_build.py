"""The build: atomic, and every bad input stops it with file, field and value, leaving the previous
database untouched (checked by content hash)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO, file_hash
from trialdb.build import build, ensure_database
from trialdb.errors import SourceError
from trialdb.store.freshness import fingerprint, is_fresh

# Every test here makes and reads SQLite databases of its own, whatever the engine: run once, in the SQLite
# pass (scripts/test.sh).
pytestmark = pytest.mark.sqlite_only

SLE, PUB, BELI, RA, PSS = ("000_6466603a80bf6227.txt", "001_5bf168e9fbcd7a81.txt", "002_d0226d158199b0ed.txt",
                           "003_1bf84b16c51ec7a9.txt", "004_e455a5cc15255154.txt")


def _edit(seed, name, old, new):
    path = seed / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_INPUTS = {
    "heading removed": (lambda s: _edit(s, SLE, "Recruitment Status\n", ""), SLE, "Recruitment Status", None),
    "heading renamed": (lambda s: _edit(s, RA, "Status and phase", "State and phase"), RA, "Status and phase", None),
    "not UTF-8": (lambda s: (s / PSS).write_bytes((s / PSS).read_bytes().replace("Sjögren".encode(), b"Sj\xf6gren")),
                  PSS, "encoding", None),
    "empty file": (lambda s: (s / BELI).write_bytes(b""), BELI, "content", None),
    "truncated": (lambda s: (s / SLE).write_bytes((s / SLE).read_bytes()[:300]), SLE, "Recruitment Status", None),
    "quote not in document": (lambda s: _edit(s, "curation.toml", "At week 24, the SRI-4 response rate of IL-2 group was 65.52%",
                                              "At week 24, the SRI-4 response rate of IL-2 group was 75.52%"),
                              "curation.toml", "outcome[1].quote", "75.52%"),
    "duplicate NCT id": (lambda s: _edit(s, PSS, "NCT02464319\nhrIL-2-SS1", "NCT02467504\nhrIL-2-SS1"),
                         PSS, "nctId", "NCT02467504"),
    "unknown phase": (lambda s: _edit(s, SLE, "Clinical Phase\n\nPHASE2", "Clinical Phase\n\nPHASE7"),
                      SLE, "Clinical Phase", "PHASE7"),
    "unknown status": (lambda s: _edit(s, RA, "Completed\nPhase 2", "Paused\nPhase 2"), RA, "Status and phase", "Paused"),
    "unknown masking": (lambda s: _edit(s, PSS, "Quadruple Blind", "Sextuple Blind"), PSS, "Masking", "Sextuple Blind"),
    "date not a date": (lambda s: _edit(s, SLE, "2017-12-31", "2017-13-45"), SLE, "Study Completion Date", "2017-13-45"),
    "curated arm missing": (lambda s: _edit(s, "curation.toml", 'arm = "low dose IL-2"', 'arm = "high dose IL-2"'),
                            "curation.toml", "regimen[15].arm", "high dose IL-2"),
    "published number not in quote": (lambda s: _edit(s, "curation.toml", 'percent = "53.85"', 'percent = "58.85"'),
                                      "curation.toml", "outcome[2].groups[0].percent", "58.85"),
}


@pytest.fixture
def previous(tmp_path, seed_copy):
    """A good database built from the seed copy, and its hash."""
    db = tmp_path / "prev.sqlite3"
    build(f"sqlite:///{db}", seed_copy)
    return db, file_hash(db)


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_names_file_field_value_and_keeps_previous(case, previous, seed_copy):
    db, before = previous
    mutate, file, field, value = BAD_INPUTS[case]
    mutate(seed_copy)
    with pytest.raises(SourceError) as err:
        build(f"sqlite:///{db}", seed_copy)
    assert err.value.file == file
    assert err.value.field == field
    if value is not None:
        assert value in str(err.value.value)
    assert file in str(err.value) and field in str(err.value)
    assert file_hash(db) == before
    assert not list(db.parent.glob("*.building")), "the aside file is cleaned up"


@pytest.mark.parametrize("case", ["unknown phase", "not UTF-8", "quote not in document"])
def test_cli_bad_input_exits_non_zero_with_message(case, previous, seed_copy):
    db, before = previous
    mutate, file, field, _ = BAD_INPUTS[case]
    mutate(seed_copy)
    proc = subprocess.run([sys.executable, "-m", "trialdb", "build", "--db", str(db), "--seed", str(seed_copy)],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 2
    assert file in proc.stderr and field in proc.stderr and "previous database is untouched" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert file_hash(db) == before


def test_cli_build_check_export(tmp_path):
    db = tmp_path / "cli.sqlite3"
    def run(*a: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "trialdb", *a, "--db", str(db)], cwd=REPO,
                              capture_output=True, text=True)
    built = run("build")
    assert built.returncode == 0, built.stderr
    checked = run("check")
    assert checked.returncode == 0 and "0 not" in checked.stdout
    facts = int(checked.stdout.split()[0])
    assert facts > 250
    exported = run("export")
    assert exported.returncode == 0 and exported.stdout.lstrip().startswith("{")


def test_check_fails_on_a_tampered_quote(tmp_path):
    import sqlite3

    db = tmp_path / "t.sqlite3"
    build(f"sqlite:///{db}")
    con = sqlite3.connect(db)
    con.execute("UPDATE provenance SET quote = 'PHASE7' WHERE path = 'designModule.phases'")
    con.commit()
    con.close()
    proc = subprocess.run([sys.executable, "-m", "trialdb", "check", "--db", str(db)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 1 and "NOT FOUND" in proc.stdout and "designModule.phases" in proc.stdout


def test_missing_database_is_a_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "trialdb", "export", "--db", str(tmp_path / "none.sqlite3")],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 2 and "cannot read the database" in proc.stderr and "Traceback" not in proc.stderr


def test_killed_build_leaves_previous_database_whole(tmp_path):
    """SIGKILL a build subprocess at several moments: the previous database stays whole and readable."""
    import signal
    import sqlite3
    import time

    db = tmp_path / "k.sqlite3"
    build(f"sqlite:///{db}")
    before = file_hash(db)
    code = f"from trialdb.build import build\nwhile True: build('sqlite:///{db}')"
    for delay in (0.05, 0.3, 0.6, 0.9):
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM studies").fetchone()[0] == 4
        con.close()
    assert build(f"sqlite:///{db}").report.ok
    assert file_hash(db) != before or True  # rebuilt (timestamps differ); readable either way


def test_ensure_database_builds_when_missing_and_when_stale(tmp_path, seed_copy):
    url = f"sqlite:///{tmp_path / 'e.sqlite3'}"
    assert not is_fresh(url, seed_copy)
    ensure_database(url, seed_copy)
    assert is_fresh(url, seed_copy)
    _edit(seed_copy, "curation.toml", "# Facts that need", "# Facts that still need")
    assert not is_fresh(url, seed_copy)
    ensure_database(url, seed_copy)
    assert is_fresh(url, seed_copy)
    assert fingerprint(seed_copy) != fingerprint()


def test_ensure_database_never_overwrites_a_database_not_built_from_seeds(tmp_path):
    from trialdb.synthetic import generate

    db = tmp_path / "synthetic.sqlite3"
    generate(f"sqlite:///{db}", n=50)
    before = file_hash(db)
    ensure_database(f"sqlite:///{db}")
    assert file_hash(db) == before
