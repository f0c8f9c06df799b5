"""One parser per source format; `parse_document` recognises the format by its headings."""

from __future__ import annotations

from pathlib import Path

from trialdb.errors import SourceError
from trialdb.sources.documents import Parsed, SourceDocument
from trialdb.sources.parsers import catalogue, ctgov_page, veeva_page

FORMATS = (veeva_page, ctgov_page, catalogue)


def parse_document(path: Path) -> Parsed:
    doc = SourceDocument.read(path)
    for fmt in FORMATS:
        if fmt.recognises(doc):
            return fmt.parse(doc)
    first = doc.text.strip().splitlines()[0]
    raise SourceError(doc.name, "format", first, "not a registry record, Veeva page or catalogue record")
