"""The sidebar filter every page obeys: indication, phase and status, each kept in the URL
(`?indication=SLE&indication=RA`) so a filtered view can be shared and opened directly."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.frames import phase_label
from dashboard.ui import safe_md
from trialdb.enums import label
from trialdb.queries import Filters

NOTICE_KEY = "_url_notices"
MAX_SHOWN = 5


def check_url_values(param: str, valid: list[str], what: str, remember: bool = True) -> str | None:
    """Streamlit silently drops URL values a bound widget cannot use: say so instead (kept for the
    session, or returned to show at once), echoing only a few escaped, shortened values."""
    given = st.query_params.get_all(param)
    bad = [v for v in given if v not in valid and v != ""]
    if not bad:
        return None
    shown = ", ".join(f"“{safe_md(v[:40])}{'…' if len(v) > 40 else ''}”" for v in bad[:MAX_SHOWN])
    more = f" and {len(bad) - MAX_SHOWN} more" if len(bad) > MAX_SHOWN else ""
    text = f"The link asked for {what} {shown}{more}, which this database does not have; ignored."
    if remember:
        st.session_state.setdefault(NOTICE_KEY, {})[param] = text
    return text


def show_notices() -> None:
    notices = st.session_state.get(NOTICE_KEY)
    if not notices:
        return
    for text in notices.values():
        st.warning(text, icon=":material/link_off:")
    if st.button("Dismiss", key="dismiss_url_notices"):
        st.session_state.pop(NOTICE_KEY, None)
        st.rerun()


def sidebar() -> Filters:
    """Draw the filter (in the entrypoint, so it keeps its value across pages) and return it.

    A bound multiselect writes its options' *formatted* labels to the URL, so indications are shown
    as their bare codes (`?indication=SLE`) and phases and statuses as readable labels
    (`?phase=Phase+2`); the names and counts are in the help text."""
    opts = data.filter_options()
    inds = {code: (name, n) for code, name, n in opts["indications"]}
    phases = {p: n for p, _, n in opts["phases"]}
    statuses = {s: n for s, _, n in opts["statuses"]}
    check_url_values("indication", list(inds), "indication")
    check_url_values("phase", [phase_label(p) for p in phases], "phase")
    check_url_values("status", [label(s) for s in statuses], "status")
    with st.sidebar:
        st.header("Filter", divider="gray")
        sel_ind = st.multiselect(
            "Indication", list(inds), default=list(inds), key="indication", bind="query-params",
            help="Every page shows only trials of the chosen indications; the choice is kept in the URL. "
                 + "; ".join(f"{c}: {name}, {n} trial(s)" for c, (name, n) in inds.items()))
        sel_phase = st.multiselect("Phase", list(phases), default=list(phases), key="phase", bind="query-params",
                                   format_func=phase_label,
                                   help="; ".join(f"{phase_label(p)}: {n} trial(s)" for p, n in phases.items()))
        sel_status = st.multiselect("Status", list(statuses), default=list(statuses), key="status",
                                    bind="query-params", format_func=label,
                                    help="; ".join(f"{label(s)}: {n} trial(s)" for s, n in statuses.items()))
        st.caption("Share the page's URL to share this filtered view.")
    # "All selected" is kept as None so newly imported phases and statuses are not left out.
    return Filters(
        indications=tuple(sel_ind),
        phases=None if set(sel_phase) == set(phases) else tuple(sel_phase),
        statuses=None if set(sel_status) == set(statuses) else tuple(sel_status),
    )


def current() -> Filters:
    return st.session_state["_filters"]
