"""The low-dose IL-2 trial database: no Streamlit and no dashboard import anywhere in it, so every part is
testable on its own, and `python -m trialdb` is a command line over it (`cli`).

A subpackage per concept, each saying in its docstring what it holds and what it may import:
- `store`: the database itself (engine and paths, tables, freshness, fast writes); `schema`: every table.
- `sources`: the seed documents, their parsers and the curation file.
- `registry`: ClinicalTrials.gov (the API v2 client, import, sync, the record folder, changes, its text).
- `results`: the registry's posted results.
- `dosing`: schedules, the unit vocabulary and the regimen reader.
- `portfolio`: what each trial gives, and which trials the portfolio keeps.

Modules of one concept each at the top: `build` (seed_data/ to a database, atomically), `load` (parsed records to
rows with provenance), `readings` (stored readings and decisions, checked), `check`, `export`, `queries` (every
query the dashboard runs), `search`, `flags`, `enums`, `indications`, `statistics`, `errors`, `synthetic`.
tests/test_imports.py keeps the imports one way: no cycle, and each subpackage within its "May import" line.
"""

from trialdb.errors import SourceError

__all__ = ["SourceError"]
