"""Property-based tests: random and mutated text thrown at every parser (and at the whole build).
Only the project's own SourceError may escape, never an IndexError, KeyError or AttributeError."""

from __future__ import annotations

import contextlib
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEED
from trialdb.build import build
from trialdb.errors import SourceError
from trialdb.sources.documents import SourceDocument
from trialdb.sources.parsers import FORMATS, parse_document

DOCS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEED.glob("*.txt"))}


def _parse_with_every_format(text: str) -> None:
    doc = SourceDocument("fuzz.txt", text, "0" * 64)
    for fmt in FORMATS:
        with contextlib.suppress(SourceError):  # the one error a parser may raise
            fmt.parse(doc)


@st.composite
def mutated(draw):
    """A real document with lines deleted, duplicated, swapped, cut or spliced with noise."""
    name = draw(st.sampled_from(sorted(DOCS)))
    lines = DOCS[name].split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "noise", "truncate", "blank"]))
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[min(i, j) : max(i, j) + 1]
        elif op == "duplicate":
            lines[i:i] = lines[min(i, j) : max(i, j) + 1]
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "noise":
            lines.insert(i, draw(st.text(max_size=80)))
        elif op == "truncate":
            lines = lines[:i]
        else:
            lines[i] = ""
    return name, "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text(text):
    _parse_with_every_format(text)


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_mutated_documents(case):
    _parse_with_every_format(case[1])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_documents_through_the_whole_build(tmp_path_factory, case):
    seed = tmp_path_factory.mktemp("seed")
    for p in SEED.iterdir():
        if p.is_file():  # seed_data/registry/ (records a sync fetched) is a folder
            shutil.copy(p, seed / p.name)
    (seed / case[0]).write_text(case[1], encoding="utf-8")
    with contextlib.suppress(SourceError):  # the one error a build may raise on a bad document
        build(f"sqlite:///{seed / 'db.sqlite3'}", seed)


def test_parse_document_on_random_bytes(tmp_path):
    path = tmp_path / "bytes.txt"
    for blob in (b"\xff\xfe\x00", b"ClinicalTrials.Veeva\n\xe9", b"NCT ID: NCT12345678\n", b"description | x |\n"):
        path.write_bytes(blob)
        try:
            parse_document(path)
        except SourceError as exc:
            assert exc.file == "bytes.txt"


def test_a_role_line_with_no_name_before_it_is_a_source_error():
    """Found by test_mutated_documents: a duplicated `Role: CONTACT` line under Central Contacts left a person
    block of one line, and the parser failed with an IndexError. Whose role it is cannot be told: the parser
    says so, naming the file and the heading."""
    name = next(n for n, text in DOCS.items() if "Central Contacts" in text)
    lines = DOCS[name].split("\n")
    i = lines.index("Central Contacts")
    j = next(k for k in range(i, len(lines)) if lines[k].startswith("Role:"))
    lines.insert(j + 1, "")
    lines.insert(j + 2, lines[j])  # the same Role: line again, with no name before it
    doc = SourceDocument(name, "\n".join(lines), "0" * 64)
    fmt = next(f for f in FORMATS if f.recognises(doc))
    with pytest.raises(SourceError) as err:
        fmt.parse(doc)
    assert (err.value.file, err.value.field, err.value.value) == (name, "Central Contacts", lines[j])
    assert "no name before it" in err.value.problem
