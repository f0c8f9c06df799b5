"""The low-dose IL-2 trial database: parsers, models, seeding, queries, schedules, statistics.

No Streamlit import anywhere in this package, so every part is testable on its own.
"""

from trialdb.errors import SourceError

__all__ = ["SourceError"]
