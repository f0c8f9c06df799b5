"""Pure pandas preparations between a query and a figure or table: labels, intervals, totals.
Everything computed here says so in its column name or text."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

import pandas as pd

from dashboard.theme import OTHER_COLOUR, STATUS_COLOURS, Palette, palette_of_codes, status_colour
from trialdb import flags, search
from trialdb.enums import NOT_APPLICABLE, applies, label
from trialdb.queries import NOT_STATED
from trialdb.search import Where
from trialdb.statistics import NEWCOMBE, WILSON, newcombe_difference, wilson
from trialdb.store import models as m

REGISTRY = "https://clinicaltrials.gov/study/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"
DOI = "https://doi.org/"
# A link that opens the Overview with a filter of the URL (a sponsor's trials): "./?sponsor=NAME&area=...", its
# text the value of its first parameter. Only these parameters may be in it (dashboard.filters keeps them).
FILTER_LINK = "./?"
FILTER_LINK_PARAMS = ("sponsor", "area", "indication", "phase", "status", "start_year", "study_type", "q")


def filter_link(pairs: Sequence[tuple[str, str]]) -> str:
    """A filter link (FILTER_LINK) of the URL parameters `pairs`, the first of which names it; parameters
    not in FILTER_LINK_PARAMS are left out, every value percent-encoded."""
    return FILTER_LINK + urlencode([(k, v) for k, v in pairs if k in FILTER_LINK_PARAMS])


def filter_link_parts(text: str) -> tuple[str, str] | None:
    """(text shown, target) of a filter link as `filter_link` made it, the target rebuilt from its parsed
    parameters (so nothing but FILTER_LINK_PARAMS, encoded, reaches it); None for any other text."""
    if not text.startswith(FILTER_LINK):
        return None
    pairs = [(k, v) for k, v in parse_qsl(text.removeprefix(FILTER_LINK), keep_blank_values=True)
             if k in FILTER_LINK_PARAMS]
    return (pairs[0][1], filter_link(pairs)) if pairs else None
TIME_NOT_STATED = "Time point not stated in source"


def singular(noun: str) -> str:
    """"trial" for "trials", "study" for "studies" (what a count counts: dashboard.data.noun's words)."""
    return {"trials": "trial", "studies": "study"}[noun]


def stated(value) -> object:
    """A missing value as the words a researcher reads, never a blank or NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return NOT_STATED
    return value


def phase_label(phase: str | None) -> str:
    """"Phase 1 / Phase 2" from PHASE1/PHASE2; NOT_STATED and NOT_APPLICABLE (queries.phase_column) as they are."""
    if not isinstance(phase, str) or phase == NOT_STATED:
        return NOT_STATED
    if phase == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return " / ".join(label(p) for p in phase.split("/"))


def study_type_label(study_type: str | None) -> str:
    """"Interventional", "Observational", "Expanded access"; NOT_STATED for a record that gives none."""
    return label(study_type) if isinstance(study_type, str) and study_type != NOT_STATED else NOT_STATED


def design_fact(value: str | None, study_type: str | None, field: str) -> str:
    """A design fact of one study as read: its label, NOT_APPLICABLE when the registry has no such field for its
    study type (trialdb.enums.applies: phase, allocation, masking... of an observational study), else NOT_STATED."""
    if isinstance(value, str) and value:
        return label(value)
    return NOT_STATED if applies(study_type if isinstance(study_type, str) else None, field) else NOT_APPLICABLE


def trials_table(df: pd.DataFrame) -> pd.DataFrame:
    """The overview table: one row a trial, every missing value spelled out; a fact the registry has no field for
    (the masking of an observational study) reads "not applicable". A "Study type" column when `df` holds several."""
    kinds = df.study_type.tolist() if "study_type" in df else [None] * len(df)
    out = pd.DataFrame({
        "NCT id": REGISTRY + df.nct_id,
        "Title": df.brief_title,
        **({"Study type": [study_type_label(t) for t in kinds]} if len(set(kinds)) > 1 else {}),
        "Indication": df.indication,
        "Phase": [phase_label(p) for p in df.phase],
        "Status": [label(s) for s in df.status],
        "Enrolment": [flags.enrollment_label(n, t, NOT_STATED) for n, t in zip(df.enrollment, df.enrollment_type,
                                                                                 strict=True)],
        "Masking": [design_fact(x, t, "masking") for x, t in zip(df.masking, kinds, strict=True)],
        "Start": [stated(x) for x in df.start_date],
        "Completion": [stated(x) for x in df.completion_date],
    })
    return out


def with_matches(table: pd.DataFrame, nct_ids: Sequence[str], matches: Mapping[str, Where]) -> pd.DataFrame:
    """A table of trials (one row each, in the order of `nct_ids`) with where each matched the search: "Matched in"
    (the fields, "; "-joined) and "Where it matched" (their snippets, matched words between search.MARK_START and
    MARK_END, which ui.table draws marked and leaves out of the CSV), rows ordered best match first (a match in the
    title, interventions or conditions above one only in the free text; ties keep the table's order). Trials
    without a match (no search words) keep their place, at the end."""
    if not matches:
        return table
    found = [matches.get(n) for n in nct_ids]
    out = table.assign(**{"Matched in": ["; ".join(h.field for h in w.hits) if w and w.hits else ""
                                          for w in found],
                          "Where it matched": [" · ".join(h.snippet for h in w.hits) if w and w.hits else ""
                                               for w in found]})
    last = (len(search.TIERS), 0)
    order = sorted(range(len(found)), key=lambda i: found[i].rank if found[i] else last)  # type: ignore[union-attr]
    first = [c for c in ("NCT id", "Title", "Matched in", "Where it matched") if c in out.columns]  # seen on a phone
    return out.iloc[order][first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def counts_long(counts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Trials and participants per `by` ("phase" or "status") and indication, readable labels."""
    if counts.empty:
        return pd.DataFrame(columns=[by, "indication", "trials", "participants", "trials_with_enrolment"])
    g = counts.groupby([by, "indication"], as_index=False)[["trials", "participants", "trials_with_enrolment"]].sum()
    g[by] = [phase_label(v) if by == "phase" else label(v) for v in g[by]]
    return g.sort_values([by, "indication"]).reset_index(drop=True)


def counts_wide(long: pd.DataFrame, by: str, title: str, palette: Palette | None = None,
                noun: str = "trials") -> pd.DataFrame:
    """The table beneath a counts chart: one row per `by` value, trials per series of the chart's
    palette (each indication while they are few, else each disease area: never more than MAX_SERIES
    columns, whatever the portfolio holds), then totals. The long form is the CSV. `noun`: what the counts
    count, "trials", or "studies" when the selection holds several study types (data.noun)."""
    if long.empty:
        return pd.DataFrame(columns=[title])
    pal = palette or palette_of_codes(long.indication, long.trials)
    series = long.assign(series=[pal.series_of(c) for c in long.indication])
    wide = series.pivot_table(index=by, columns="series", values="trials", aggfunc="sum", fill_value=0, sort=True)
    wide = wide[[c for c in pal.colours if c in wide.columns] + [c for c in wide.columns if c not in pal.colours]]
    # Indication codes read as headers only with their unit; area names are headers enough (a page
    # caption says they count trials), and without it seven of them fit beside the totals on a laptop.
    wide.columns = [f"{c} {noun}" if pal.by != "area" else c for c in wide.columns]
    totals = long.groupby(by)[["trials", "participants", "trials_with_enrolment"]].sum()
    wide[f"All {noun}"] = totals.trials
    wide["Participants planned (sum, computed)"] = totals.participants
    wide[f"{noun.capitalize()} stating enrolment"] = totals.trials_with_enrolment
    return wide.rename_axis(title).reset_index()


# The overview's charts at a glance (issue 33): one bar per value a click can filter on. Each frame has the columns
# GLANCE_COLUMNS: the bar's `label`, its `trials`, its `colour`, the filter it sets (`param`: a sidebar widget's key,
# "indication", "area", "status" or "start_year") and the values it sets (`value`, ";"-joined), and `detail`
# (words for the tooltip, "" when the label says all).
GLANCE_COLUMNS = ["label", "trials", "colour", "param", "value", "detail"]
YEAR_NOT_STATED = "not stated"  # the year chart's bar of trials whose sources state no start date


def glance_by_series(counts: pd.DataFrame, palette: Palette, area_of: Mapping[str, str]) -> pd.DataFrame:
    """Trials per series of the selection's palette (`counts`: queries.counts_by's rows), in the palette's (legend)
    order: an indication while there are few (a click filters on it), else a disease area (a click filters on the
    area: `area_of` maps an indication code to its area code), else (all in one area) its largest indications
    and "Other (N indications)", whose click filters on the indications it holds. The detail of a series of
    several indications names them with their trials, largest first (at most six, then "and N more")."""
    if counts.empty:
        return pd.DataFrame(columns=GLANCE_COLUMNS)
    per = counts.groupby("indication", sort=False).trials.sum().sort_values(ascending=False, kind="stable")
    members: dict[str, list[str]] = {}
    for code in per.index:
        members.setdefault(palette.series_of(code), []).append(code)
    order = [s for s in palette.colours if s in members] + [s for s in members if s not in palette.colours]
    rows = []
    for series in order:
        codes = members[series]
        by_area = palette.by == "area"
        more = f" and {len(codes) - 6} more" if len(codes) > 6 else ""
        rows.append({"label": series, "trials": int(per[codes].sum()), "colour": palette.colour_of_series(series),
                     "param": "area" if by_area else "indication",
                     "value": area_of.get(codes[0], "") if by_area else ";".join(codes),
                     "detail": ", ".join(f"{c} {int(per[c]):,}" for c in codes[:6]) + more
                     if palette.by != "indication" and (len(codes) > 1 or codes[0] != series) else ""})
    return pd.DataFrame(rows, columns=GLANCE_COLUMNS)


def glance_by_status(counts: pd.DataFrame) -> pd.DataFrame:
    """Trials per overall status (`counts`: queries.counts_by's rows), in theme.STATUS_COLOURS' order (then any
    other status the registry sends, by name), labelled as the filter labels them, each in its colour."""
    if counts.empty:
        return pd.DataFrame(columns=GLANCE_COLUMNS)
    per = counts.groupby("status").trials.sum()
    order = [s for s in STATUS_COLOURS if s in per.index] + sorted(s for s in per.index if s not in STATUS_COLOURS)
    return pd.DataFrame([{"label": label(s), "trials": int(per[s]), "colour": status_colour(s), "param": "status",
                          "value": s, "detail": ""} for s in order], columns=GLANCE_COLUMNS)


YEAR_COLOUR = "#0072B2"


def glance_by_year(years: pd.DataFrame) -> pd.DataFrame:
    """Trials per year of stated start (`years`: queries.counts_by_start_year's rows: year, trials), every year from
    the first to the last (a year without a start is a bar of 0, not left out), then the trials whose sources state
    no start date, labelled YEAR_NOT_STATED and drawn grey: counted, never given a year."""
    if years.empty:
        return pd.DataFrame(columns=GLANCE_COLUMNS)
    stated_ = {y: int(n) for y, n in zip(years.year, years.trials, strict=True) if y != NOT_STATED}
    span = range(int(min(stated_)), int(max(stated_)) + 1) if stated_ else range(0)
    rows = [{"label": str(y), "trials": stated_.get(str(y), 0), "colour": YEAR_COLOUR, "param": "start_year",
             "value": str(y), "detail": ""} for y in span]
    missing = int(years.trials[years.year == NOT_STATED].sum())
    if missing:
        rows.append({"label": YEAR_NOT_STATED, "trials": missing, "colour": OTHER_COLOUR, "param": "start_year",
                     "value": NOT_STATED, "detail": "The sources state no start date: counted here, never given a "
                                                   "year."})
    return pd.DataFrame(rows, columns=GLANCE_COLUMNS)


def counts_by_indication(long: pd.DataFrame, by: str, title: str, areas: dict[str, str],
                         noun: str = "trials") -> pd.DataFrame:
    """The long form for reading and for the CSV: one row per `by` value and indication, with its
    disease area (`areas`: indication code -> area name), every count (`noun` as counts_wide's)."""
    return pd.DataFrame({
        title: long[by], "Disease area": [areas.get(c, NOT_STATED) for c in long.indication],
        "Indication": long.indication, noun.capitalize(): long.trials,
        "Participants planned (sum, computed)": long.participants,
        f"{noun.capitalize()} stating enrolment": long.trials_with_enrolment,
    })


def outcome_groups(df: pd.DataFrame) -> pd.DataFrame:
    """Outcome rows with the published percentage as a number, and the Wilson interval where a
    denominator is known (computed here)."""
    out = df.copy()
    out["percent_value"] = [float(p) if isinstance(p, str) else math.nan for p in out.percent]
    lo, hi = [], []
    for k, n in zip(out.responders, out.n, strict=True):
        if pd.notna(k) and pd.notna(n) and n > 0:
            a, b = wilson(int(k), int(n))
            lo.append(100 * a)
            hi.append(100 * b)
        else:
            lo.append(math.nan)
            hi.append(math.nan)
    out["ci_low"], out["ci_high"] = lo, hi
    out["timepoint"] = [f"Week {int(w)}" if pd.notna(w) else TIME_NOT_STATED for w in out.timepoint_weeks]
    return out


SRI4 = "SRI-4"  # the SLE Responder Index-4: its measures (the time points of one response) share one chart


class OutcomeChart(NamedTuple):
    """One chart of a publication's outcomes: its name ("(safety)" added to a harm), its outcome_groups rows,
    whether it holds the publication's primary endpoint (`is_primary` as curated from the paper), and whether
    the paper states counts of events only, no percentage."""

    name: str
    rows: pd.DataFrame
    primary: bool
    counts: bool


def outcome_charts(g: pd.DataFrame) -> list[OutcomeChart]:
    """A publication's outcomes a chart each, in the order published: the SRI-4 measures first as one chart,
    then each other measure. `g`: outcome_groups rows of one trial's one publication."""
    charts: list[OutcomeChart] = []
    sri = g[g.measure.str.startswith(SRI4)]
    if not sri.empty:
        charts.append(OutcomeChart("SRI-4 response", sri, bool(sri.is_primary.any()), False))
    for measure, rows in g[~g.measure.str.startswith(SRI4)].groupby("measure", sort=False):
        name = f"{measure}{' (safety)' if bool(rows.is_harm.iloc[0]) else ''}"
        charts.append(OutcomeChart(name, rows, bool(rows.is_primary.any()), bool(rows.percent.isna().all())))
    return charts


def outcome_table(groups: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Outcome": groups.measure, "Time point": groups.timepoint, "Group": groups.group_name,
        "Published %": [p if isinstance(p, str) else NOT_STATED for p in groups.percent],
        "Responders / events": [NOT_STATED if pd.isna(k) else int(k) for k in groups.responders],
        "n": [NOT_STATED if pd.isna(n) else int(n) for n in groups.n],
        "Counts": ["computed here" if d else "as published" for d in groups.derived],
        "95% CI (computed here, " + WILSON + ")": [
            "" if pd.isna(a) else f"{a:.1f}% to {b:.1f}%" for a, b in zip(groups.ci_low, groups.ci_high, strict=True)],
        "Published p": [p if isinstance(p, str) else NOT_STATED for p in groups.p_value],
        "How counts were derived": [d if isinstance(d, str) else "" for d in groups.derivation],
    })


def risk_differences(groups: pd.DataFrame) -> pd.DataFrame:
    """IL-2 minus placebo for each outcome with two groups of known counts (Newcombe, computed here)."""
    rows = []
    for oid, g in groups.groupby("outcome_id", sort=False):
        if len(g) != 2 or g.responders.isna().any() or g.n.isna().any():
            continue
        a, b = g.iloc[0], g.iloc[1]
        d, lo, hi = newcombe_difference(int(a.responders), int(a.n), int(b.responders), int(b.n))
        rows.append({
            "outcome_id": oid,
            "Outcome": f"{a.measure}, {a.timepoint.lower()}" if a.timepoint != TIME_NOT_STATED else a.measure,
            "Comparison": f"{a.group_name} vs {b.group_name}",
            "Risk difference (pp)": round(100 * d, 1), "CI low (pp)": round(100 * lo, 1), "CI high (pp)": round(100 * hi, 1),
            "Counts used": f"{int(a.responders)}/{int(a.n)} vs {int(b.responders)}/{int(b.n)}",
            "Counts derived here": bool(a.derived or b.derived),
            "Harm": bool(a.is_harm),
            "Method": NEWCOMBE,
        })
    return pd.DataFrame(rows, columns=["outcome_id", "Outcome", "Comparison", "Risk difference (pp)", "CI low (pp)",
                                       "CI high (pp)", "Counts used", "Counts derived here", "Harm", "Method"])


def dose_comparison(reg: pd.DataFrame) -> pd.DataFrame:
    """Per trial, arm and drug: injections, total dose, treatment weeks, route (computed here
    from the curated schedule; 'not stated in source' where the source gives no dose or schedule)."""
    def dose_text(r) -> str:
        if r.role == "placebo":
            return "placebo (no active dose)"
        if pd.isna(r.dose):
            return NOT_STATED
        return f"{r.dose:g} {r.unit}"

    return pd.DataFrame({
        "NCT id": reg.nct_id, "Indication": reg.indication, "Arm": reg.arm, "Drug": reg.drug,
        "Role": reg.role, "Dose per administration": [dose_text(r) for r in reg.itertuples()],
        "As written": [stated(x) for x in reg.unit_as_written],
        "Administrations": [NOT_STATED if pd.isna(x) else int(x) for x in reg.administrations],
        "Total active dose (computed)": [
            "none (placebo)" if r.role == "placebo" else (NOT_STATED if pd.isna(r.total_dose) else f"{r.total_dose:g} {r.unit}")
            for r in reg.itertuples()],
        "Treatment weeks (computed)": [NOT_STATED if pd.isna(x) else round(float(x), 1) for x in reg.treatment_weeks],
        "Route": [stated(x) for x in reg.route],
        "Reading of the source": [x if isinstance(x, str) else "" for x in reg.interpretation],
    })


def timeline_table(df: pd.DataFrame) -> pd.DataFrame:
    def with_type(d, t):
        if not isinstance(d, str):
            return NOT_STATED
        return d + (f" ({t.lower()})" if isinstance(t, str) else "")

    return pd.DataFrame({
        "NCT id": REGISTRY + df.nct_id, "Indication": df.indication, "Status": [label(s) for s in df.status],
        "Start": [with_type(d, t) for d, t in zip(df.start_date, df.get("start_date_type", [None] * len(df)), strict=True)],
        "Completion": [with_type(d, t) for d, t in
                       zip(df.completion_date, df.get("completion_date_type", [None] * len(df)), strict=True)],
        "Title": df.brief_title,
    })


def milestones(trials: pd.DataFrame, pubs: pd.DataFrame) -> pd.DataFrame:
    """Registry and publication dates as stated, one row each, on the row of the trial they concern."""
    rows = [{"nct_id": r.nct_id, "kind": "Last registry update", "date": r.last_update_posted_date,
             "detail": f"{r.nct_id} record last updated"}
            for r in trials.itertuples() if isinstance(r.last_update_posted_date, str)]
    shown = set(trials.nct_id)
    for p in pubs.itertuples():
        for nct in (n.strip() for n in p.nct_ids.split(",")):
            if nct not in shown:
                continue
            for kind, date in (("Publication (epub)", p.epub_date), ("Publication (print issue)", p.print_date)):
                if isinstance(date, str):
                    rows.append({"nct_id": nct, "kind": kind, "date": date,
                                 "detail": f"{p.journal} {p.year}, PMID {p.pmid}"})
    return pd.DataFrame(rows, columns=["nct_id", "kind", "date", "detail"])


def vancouver(name: str) -> str:
    """'He, Jing' -> 'He J' (initials of the given names, as PubMed cites)."""
    surname, _, given = name.partition(", ")
    initials = "".join(part[0] for part in re.split(r"[\s-]+", given) if part)
    return f"{surname} {initials}".strip()


def citation_md(pub, esc) -> str:
    """The full citation, each part escaped by `esc`, with PMID, PMCID and DOI as links."""
    authors = ", ".join(vancouver(a) for a in pub.authors) or "Authors not stated in source"
    dates = "; ".join(x for x in (f"print issue {pub.print_date}" if isinstance(pub.print_date, str) else "",
                                  f"epub {pub.epub_date}" if isinstance(pub.epub_date, str) else "") if x)
    parts = [f"{esc(authors)}. {esc(pub.title)}. *{esc(pub.journal)}*. {pub.year}" + (f" ({esc(dates)})" if dates else "") + ".",
             f"PMID: [{pub.pmid}]({PUBMED}{pub.pmid}/)"]
    if isinstance(pub.pmcid, str):
        parts.append(f"PMCID: [{pub.pmcid}](https://www.ncbi.nlm.nih.gov/pmc/articles/{pub.pmcid}/)")
    if isinstance(pub.doi, str):
        parts.append(f"DOI: [{esc(pub.doi)}]({DOI}{pub.doi})")
    return " · ".join(parts)


class RegisteredOutcome(NamedTuple):
    """One outcome measure as the registry record registers it: its number in its list (1-based), measure and
    time frame as posted (None: not stated), its description as posted (CommonMark, read by
    trialdb.registry.text) and the JSON path of the entry (`outcomesModule.primaryOutcomes[0]`), under which
    each field's quote is kept (`.measure`, `.timeFrame`, `.description`)."""

    number: int
    measure: str | None
    time_frame: str | None
    description: str | None
    path: str


REGISTERED_HEADINGS = {"primary": "Primary outcomes", "secondary": "Secondary outcomes", "other": "Other outcomes"}


def registered_outcomes(rows: Sequence[m.DesignOutcome]) -> list[tuple[str, list[RegisteredOutcome]]]:
    """A trial's registered outcomes (its `design_outcomes`, any order) as the Trial record lists them:
    [(heading, outcomes)] for primary, then secondary, then other, each in the record's order; a kind the
    record does not register is left out ([] for a record with no outcomesModule)."""
    by_kind: dict[str, list[RegisteredOutcome]] = {kind: [] for kind in m.OUTCOME_LISTS}
    for o in sorted(rows, key=lambda o: (o.type_order, o.position)):
        if o.outcome_type in by_kind:
            by_kind[o.outcome_type].append(RegisteredOutcome(
                o.position + 1, o.measure, o.time_frame, o.description,
                f"outcomesModule.{m.OUTCOME_LISTS[o.outcome_type]}[{o.position}]"))
    return [(REGISTERED_HEADINGS[kind], items) for kind, items in by_kind.items() if items]
