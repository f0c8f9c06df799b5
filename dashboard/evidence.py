"""The Evidence page's frames and figure: reporting status per trial (trialdb.reporting's one rule), the
chart by year of primary completion, and a publication's parts as the page shows them. Pure functions of
data (no Streamlit, no SQL)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.figures import vl_legend, vl_title, vl_top
from dashboard.frames import DOI, PUBMED
from trialdb.reporting import (
    DUE_NOT_REPORTED,
    NO_COMPLETION,
    NOT_YET_DUE,
    POSTED,
    POSTED_AND_PUBLISHED,
    PUBLISHED,
    STATUSES,
)

# Okabe-Ito colours, told apart by colour-blind readers; reported in blues and green, not reported in vermilion.
STATUS_COLOURS = {POSTED_AND_PUBLISHED: "#0072B2", POSTED: "#56B4E9", PUBLISHED: "#009E73",
                  NOT_YET_DUE: "#E69F00", DUE_NOT_REPORTED: "#D55E00", NO_COMPLETION: "#7F7F7F"}
NOT_STATED = "not stated"
# Abstract sections shown first: what the trial found (PubMed's NlmCategory values).
FIRST = ("RESULTS", "CONCLUSIONS")
COLUMNS = {"nct_id": "NCT id", "brief_title": "Title", "indication": "Indication", "status": "Reporting status",
           "primary_completion": "Primary completion (as registered)", "completion_type": "Actual or anticipated",
           "due": "Due (computed here)", "days_overdue": "Days since due (computed here)",
           "results_posted": "Results first posted", "publications": "Linked PMIDs",
           "reported_by": "PMIDs counted as results"}


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Trials per status, every status in `STATUSES` order (zero where none): columns status, trials."""
    counts = frame.status.value_counts() if len(frame) else pd.Series(dtype=int)
    return pd.DataFrame({"status": list(STATUSES), "trials": [int(counts.get(s, 0)) for s in STATUSES]})


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Trials per year of primary completion and status: columns year (a 4-digit string, or "not stated"),
    status, trials, of_year (all trials of that year)."""
    years = frame.completion_year.astype("string").fillna(NOT_STATED)
    g = (pd.DataFrame({"year": years, "status": frame.status}).groupby(["year", "status"], as_index=False)
         .size().rename(columns={"size": "trials"}))
    g["of_year"] = g.groupby("year").trials.transform("sum")
    return g


def reporting_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Trials by year of primary completion, stacked by reporting status (colours of `STATUS_COLOURS`, order of
    `STATUSES`); trials without a completion date in a last bar, "not stated". Every year between the first and
    the last has its slot, so a year without trials shows as a gap."""
    g = by_year(frame)
    stated = sorted(int(y) for y in set(g.year) if y != NOT_STATED)
    domain = [str(y) for y in range(stated[0], stated[-1] + 1)] if stated else []
    domain += [NOT_STATED] if NOT_STATED in set(g.year) else []
    g["rank"] = [STATUSES.index(s) for s in g.status]
    bars = alt.Chart(g).mark_bar().encode(
        x=alt.X("year:O", title="Year of primary completion", scale=alt.Scale(domain=domain),
                axis=alt.Axis(labelAngle=alt.ExprRef("containerSize()[0] < 700 ? -90 : 0"))),
        y=alt.Y("sum(trials):Q", title="Trials", stack="zero", axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status:N", title=None, legend=vl_legend(),
                        scale=alt.Scale(domain=list(STATUSES), range=[STATUS_COLOURS[s] for s in STATUSES])),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year of primary completion"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("trials:Q", title="Trials", format=","),
                 alt.Tooltip("of_year:Q", title="All trials of that year", format=",")])
    return vl_top(alt.LayerChart(layer=[bars], height=340, title=vl_title(
        "Trials by year of primary completion, coloured by reporting status",
        "Status computed here from the registry and PubMed, by the rule above")))


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The per-trial table as shown and downloaded: `COLUMNS`' headings, dates as ISO text."""
    out = frame[list(COLUMNS)].copy()
    for c in ("due", "results_posted"):
        out[c] = [d.isoformat() if d is not None and not pd.isna(d) else None for d in out[c]]
    # whole days, blank where not due (object dtype: a float column would print 2898.0)
    out["days_overdue"] = pd.Series([None if pd.isna(d) else int(d) for d in out.days_overdue], index=out.index,
                                    dtype=object)
    return out.rename(columns=COLUMNS)


def sections_in_order(sections: list[tuple[str | None, str | None, str]]) -> list[tuple[str | None, str | None, str]]:
    """An abstract's sections with RESULTS and CONCLUSIONS (NlmCategory, or the label where there is none)
    first, the others after them in the order published; labels kept as published."""
    def rank(s: tuple[str | None, str | None, str]) -> int:
        key = (s[1] or s[0] or "").upper()
        return FIRST.index(key) if key in FIRST else len(FIRST)
    return sorted(sections, key=rank)


def links(pub: dict) -> list[tuple[str, str]]:
    """(label, URL) of a publication's pages: PubMed, the DOI, PubMed Central. URLs built from the ids alone
    (digits, "PMC" and digits, a DOI percent-encoded), never taken from a record as given."""
    from urllib.parse import quote

    out = [("PubMed", f"{PUBMED}{pub['pmid']}/")]
    if pub.get("doi"):
        out.append(("DOI", DOI + quote(pub["doi"], safe="/:;()._-")))
    if pub.get("pmcid") and str(pub["pmcid"]).upper().startswith("PMC") and str(pub["pmcid"])[3:].isdigit():
        out.append(("PubMed Central", f"https://pmc.ncbi.nlm.nih.gov/articles/{pub['pmcid']}/"))
    return out


def citation(pub: dict) -> str:
    """"Authors. Journal. Date." as plain text: the first three authors then "et al."; facts not stated left out."""
    names = pub.get("authors") or []
    sep = "; " if any("," in n for n in names) else ", "  # "He, Jing; Zhang, Ruijun" as the seed writes names
    who = sep.join(names[:3]) + (" et al" if len(names) > 3 else "")
    when = pub.get("published") or (str(pub["year"]) if pub.get("year") else None)
    return ". ".join(x.rstrip(".") for x in (who, pub.get("journal_iso") or pub.get("journal"), when) if x) + "."
