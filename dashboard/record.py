"""Sections of the Trial record page (app_pages/trial_record.py) too long to keep in the page script, drawn from the
frames of dashboard.frames. Every text from a record goes through dashboard.ui's escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import streamlit as st

from dashboard import ui
from dashboard.frames import RegisteredOutcome, registered_outcomes
from trialdb.store import models as m

# The fields of an entry of outcomesModule, as the page names them, with their JSON key (the quote's path).
_FIELDS = (("Measure", "measure"), ("Time frame", "timeFrame"), ("Description", "description"))


def outcome_markdown(o: RegisteredOutcome) -> str:
    """One registered outcome as safe Markdown, text rather than a table so it wraps on a phone: "**1. measure**",
    then "*Time frame:* ..." and "*Description:* ..." on lines of their own, one block (its description's Markdown
    read as the registry means it: escapes undone, paragraphs and lists kept, a list starting on a line of its
    own); an unstated field says so."""
    measure = ui.safe_md(o.measure) if o.measure else ui.not_stated(None)
    head = f"**{o.number}. {measure}**  \n*Time frame:* {ui.not_stated(o.time_frame)}  \n*Description:*"
    body = ui.registry_md(o.description) or ui.not_stated(None)
    if re.match(r" *(?:-|\d+[.)]) ", body):
        return f"{head}\n\n{body}"
    return f"{head} {body}"  # a first paragraph follows on the name's line; any further ones below it


def sources_caption(o: RegisteredOutcome, quotes: Mapping[str, tuple[str, str]]) -> str:
    """One caption of an outcome's sources, as safe Markdown: each stated field's verbatim quote (the JSON value at
    `o.path`.measure, .timeFrame, .description), then the document: "Measure “"BMI"”; time frame “"1 day"” — file"
    ("" when none is quoted). An entry's fields come from one record, so the document is named once."""
    by_doc: dict[str, list[str]] = {}
    for name, key in _FIELDS:
        if (found := quotes.get(f"{o.path}.{key}")) is not None:
            field = name if not by_doc else name.lower()  # the caption's first word capitalised
            by_doc.setdefault(found[0], []).append(f"{field} “{ui.safe_md(found[1])}”")
    return " · ".join(f"{'; '.join(parts)} — {ui.safe_md(doc)}" for doc, parts in by_doc.items())


def registered_outcomes_section(rows: Sequence[m.DesignOutcome],
                                quotes: Mapping[str, tuple[str, str]] | None = None) -> None:
    """The "Registered outcomes" section: what the record says the trial will measure (outcomesModule), primary,
    secondary and other, each outcome as `outcome_markdown`; "not stated in source" for a record with none.
    `quotes` (path -> (document, quote), the record's provenance): each field's source under it, when given."""
    with st.container(border=True):
        st.subheader("Registered outcomes", anchor=False)
        groups = registered_outcomes(rows)
        if not groups:
            st.markdown(f"Outcome measures: {ui.not_stated(None)}")
            return
        st.caption("What the trial's registry record says it will measure, as registered; what was published is "
                   "under “Dosing and results in this database” below.")
        for heading, items in groups:
            st.markdown(f"##### {heading} ({len(items)})")
            for o in items:
                st.markdown(outcome_markdown(o))
                if quotes is not None and (caption := sources_caption(o, quotes)):
                    st.caption(caption)


def publications_section(nct_id: str, rule: bool = True) -> None:
    """The "Publications and reporting" section: the trial's reporting status on today's date with its rule
    (trialdb.reporting; `rule` False where the page shows it already), and each of its publications as
    dashboard.ui.publication draws them."""
    from dashboard import data
    from trialdb import reporting

    with st.container(border=True):
        st.subheader("Publications and reporting", anchor=False)
        status = data.evidence_of(nct_id, dt.date.today())
        st.markdown(f"**Reporting status:** {status.status}"
                    + (f", {status.days_overdue:,} days since due ({status.due}, computed here)"
                       if status.days_overdue is not None else f"; due {status.due} (computed here)" if status.due else ""))
        if rule:
            st.caption(reporting.RULE)
        st.page_link("app_pages/evidence.py", label="Evidence of every trial", icon=":material/library_books:")
        published = data.evidence_publications((nct_id,))
        if not published:
            st.markdown("No publication of this trial is stored.")
        for pub in published:
            ui.publication(pub, f"record_pub_{pub['pmid']}")
