"""How current the registry data is: one caption, the same on every page that shows registry facts."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.ui import safe_md


def as_of_text(status: dict[str, str] | None) -> str:
    """'Registry data as of ...' from the last successful sync (pure: tested without Streamlit)."""
    if status is None:
        return ("Registry data as of the seed documents and imported files: this database has not been synced "
                "with ClinicalTrials.gov (`python -m trialdb sync`). Each trial's record gives its last update.")
    when = status["at"][:16].replace("T", " ")
    return (f"Registry data as of {safe_md(when)} UTC, the last successful sync with ClinicalTrials.gov "
            f"({safe_md(status['api'] or 'API v2')}). The four seed trials keep their curated facts.")


def registry_as_of() -> None:
    st.caption(as_of_text(data.registry_status()), help="Records are fetched by `python -m trialdb sync` "
               "(weekly in the deployed app's repository) and kept in seed_data/registry/.")
