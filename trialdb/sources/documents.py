"""Reading a source document: strict UTF-8, its lines with character offsets, and verbatim quotes.

Every value a parser takes from a document comes with a `Quote`, the exact slice of the document it
was read from, so each fact in the database can be traced to its sentence.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialdb.errors import SourceError


@dataclass(frozen=True)
class Quote:
    document: str  # file name in seed_data/ (or the imported file's name)
    text: str  # verbatim slice of the document
    offset: int | None = None  # where the slice starts, when known


@dataclass(frozen=True)
class Line:
    text: str  # the line without surrounding white space
    start: int  # offset of text[0] in the document
    end: int


@dataclass
class SourceDocument:
    name: str
    text: str
    sha256: str

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = raw[exc.start : exc.start + 8]
            raise SourceError(path.name, "encoding", bad, f"not UTF-8 at byte {exc.start}") from None
        if not text.strip():
            raise SourceError(path.name, "content", text[:40], "empty document")
        return cls(path.name, text, hashlib.sha256(raw).hexdigest())

    def lines(self) -> list[Line]:
        """Non-blank lines, stripped, with their offsets in the text."""
        out = []
        for m in re.finditer(r"[^\n]+", self.text):
            body = m.group().strip()
            if body:
                start = m.start() + m.group().index(body)
                out.append(Line(body, start, start + len(body)))
        return out

    def quote(self, first: Line, last: Line | None = None) -> Quote:
        last = last or first
        return Quote(self.name, self.text[first.start : last.end], first.start)

    def quote_text(self, snippet: str, field: str) -> Quote:
        """Quote a snippet that must occur verbatim in the document."""
        at = self.text.find(snippet)
        if at < 0:
            raise SourceError(self.name, field, snippet, "quote not found verbatim in the document")
        return Quote(self.name, snippet, at)


@dataclass
class Parsed:
    """What a parser returns: an API-v2-shaped record and, per JSON path, the quote it rests on."""

    kind: str  # "study" or "publication"
    document: SourceDocument
    record: dict[str, Any]
    quotes: dict[str, Quote] = field(default_factory=dict)

    def put(self, path: str, value: Any, quote: Quote | None) -> None:
        """Set `value` at a dotted path ("designModule.phases", "armGroups[1].label")."""
        node: Any = self.record
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt = parts[i + 1] if not last else None
            empty: Any = [] if nxt and nxt.startswith("[") else {}
            if part.startswith("["):
                idx = int(part[1:-1])
                while len(node) <= idx:
                    node.append(None)
                if last:
                    node[idx] = value
                elif node[idx] is None:
                    node[idx] = empty
                node = node[idx]
            elif last:
                node[part] = value
            else:
                node = node.setdefault(part, empty)
        if quote is not None:
            self.quotes[path] = quote


def leaves(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, value) for every leaf of a JSON-like record, in the record's order:
    "designModule.phases[0]". A list, built by one walk (a record has hundreds of leaves, and nested
    generators cost a build with 1,000 synced records a second)."""
    out: list[tuple[str, Any]] = []
    _leaves_into(node, prefix, out)
    return out


def _leaves_into(node: Any, prefix: str, out: list[tuple[str, Any]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else k
            if isinstance(v, (dict, list)):
                _leaves_into(v, path, out)
            else:
                out.append((path, v))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            path = f"{prefix}[{i}]"
            if isinstance(v, (dict, list)):
                _leaves_into(v, path, out)
            else:
                out.append((path, v))
    else:
        out.append((prefix, node))
