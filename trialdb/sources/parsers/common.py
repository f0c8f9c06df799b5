"""Pieces both registry-page parsers share: heading blocks, dates, ages, counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, overload

from trialdb.enums import normalise
from trialdb.errors import SourceError
from trialdb.sources.documents import Line, Parsed, SourceDocument


class Page:
    """A document read as headed blocks: a heading is a whole line from a known set."""

    def __init__(self, doc: SourceDocument, headings: set[str]) -> None:
        self.doc, self.headings = doc, headings
        self.lines = doc.lines()

    # required=True raises when the heading is absent, so callers get a value, never None.
    @overload
    def index(self, heading: str, required: Literal[True]) -> int: ...
    @overload
    def index(self, heading: str, required: bool = False) -> int | None: ...

    def index(self, heading: str, required: bool = False) -> int | None:
        for i, line in enumerate(self.lines):
            if line.text == heading:
                return i
        if required:
            raise SourceError(self.doc.name, heading, None, "heading missing from the document")
        return None

    def block(self, heading: str, required: bool = False, blurb: bool = False) -> list[Line]:
        """The lines under `heading` up to the next known heading ([] when the heading is absent)."""
        i = self.index(heading, required)
        if i is None:
            return []
        out: list[Line] = []
        for line in self.lines[i + 1 :]:
            if line.text in self.headings:
                break
            out.append(line)
        if blurb:  # the site's one-line explanation under a section heading is not a fact
            out = out[1:]
        if required and not out:
            raise SourceError(self.doc.name, heading, "", "heading has no value")
        return out

    @overload
    def value(self, heading: str, required: Literal[True]) -> tuple[str, Line, Line]: ...
    @overload
    def value(self, heading: str, required: bool = False) -> tuple[str, Line, Line] | None: ...

    def value(self, heading: str, required: bool = False) -> tuple[str, Line, Line] | None:
        """Single-line value: (text, heading line, value line), or None when absent."""
        i = self.index(heading, required)
        lines = self.block(heading, required)
        if i is None or not lines:
            return None
        return lines[0].text, self.lines[i], lines[0]

    def put_enum(self, parsed: Parsed, path: str, kind: str, heading: str, required: bool = False):
        found = self.value(heading, required)
        if found is None:
            return None
        raw, head, line = found
        value = normalise(kind, raw, file=self.doc.name, field=heading)
        parsed.put(path, value, self.doc.quote(head, line))
        return value


def iso_date(raw: str, file: str, field: str) -> str:
    """Validate an ISO date (yyyy, yyyy-MM or yyyy-MM-dd), as the registry writes partial dates."""
    raw = raw.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            dt.date.fromisoformat(raw)
        elif re.fullmatch(r"\d{4}-\d{2}", raw):
            dt.date.fromisoformat(raw + "-01")
        elif not re.fullmatch(r"\d{4}", raw):
            raise ValueError
    except ValueError:
        raise SourceError(file, field, raw, "not a date (yyyy, yyyy-MM or yyyy-MM-dd)") from None
    return raw


def age(raw: str, file: str, field: str) -> str:
    """'18 Years' / '18' / '18 years' -> '18 Years' (the API's spelling)."""
    m = re.fullmatch(r"(\d+)\s*(years?|months?|weeks?|days?)?", raw.strip(), re.I)
    if not m:
        raise SourceError(file, field, raw, "not an age")
    unit = (m.group(2) or "Years").lower().rstrip("s")
    return f"{m.group(1)} {unit.capitalize()}s"


def count(raw: str, file: str, field: str) -> int:
    m = re.match(r"\s*(\d[\d,]*)\b", raw)
    if not m:
        raise SourceError(file, field, raw, "no participant count")
    return int(m.group(1).replace(",", ""))


def bullet_items(lines: list[Line], doc: SourceDocument) -> list[tuple[str, Line]]:
    """Criteria as one item per source line, without the bullet or number in front."""
    items = []
    for line in lines:
        m = re.match(r"(?:[*•\-–]|\d{1,2}[.)])\s*", line.text)
        cut = m.end() if m else 0
        text = line.text[cut:].strip()
        if text:
            items.append((text, Line(text, line.start + cut, line.end)))
    return items
