"""Every table of the database in one `metadata`: the study tables of `trialdb.store.models` (AACT's names, and
what the registry lacks) and the posted results' tables of `trialdb.results.models`.

Whatever creates, drops or counts the tables (build, import, sync, the synthetic portfolio, the tests) uses this
`metadata`, so that no table module can be forgotten: a concept with tables of its own adds its models module here.
"""

from __future__ import annotations

from trialdb.results import models as _results_models  # noqa: F401  (registers the posted results' tables)
from trialdb.store.models import Base

metadata = Base.metadata

__all__ = ["metadata"]
