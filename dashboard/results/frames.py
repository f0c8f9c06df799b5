"""Pure functions from the registry's posted results (trialdb/results/queries.py) to the frames the Outcomes
page draws and lists. Posted values stay the strings the registry wrote; a number parsed from one is used
only to place a mark on a chart. Percentages and intervals computed here say so in their column names."""

from __future__ import annotations

import re

import pandas as pd

from trialdb import flags
from trialdb.enums import label
from trialdb.statistics import wilson

# Class titles that read as time points: a measure posted per time point is drawn as lines.
TIME_POINT = re.compile(r"(?i)\b(baseline|screening|day|days|week|weeks|wk|month|months|year|years|hour|hours|"
                        r"visit|follow[- ]?up|time ?point|cycle|end of (study|treatment))\b|^\s*(d|w|m)\d+\b")
# Dispersion types whose limits are posted as lowerLimit/upperLimit (the others post one `spread`).
SPREAD_TYPES = ("standard deviation", "standard error", "standard_deviation", "standard_error")


def number(text: object) -> float | None:
    """A posted value as a number, for drawing only; None for "NA" and other text."""
    try:
        return float(str(text).replace(",", ""))
    except ValueError:
        return None


def flag_notes(found: pd.DataFrame | None, prefix: str) -> str:
    """"⚑ flagged: <sentence>" for the flags (trialdb/flags.py) whose path starts with `prefix`, "" for none."""
    if found is None or found.empty:
        return ""
    kinds = list(dict.fromkeys(found.kind[found.path.str.startswith(prefix)]))
    return "; ".join(f"⚑ flagged: {flags.sentence(k)}" for k in kinds)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v == ""


def distinct_groups(frame: pd.DataFrame, scope: tuple[str, ...] = ()) -> pd.DataFrame:
    """The frame with each `group` title made distinct where the registry posted the same title for different
    groups of one list (within `scope`, e.g. ("nct_id",) for frames across trials): every such title gets its
    group's place in the posted list, "Repaglinide (group 2)". Titles, charts and table columns are keyed by
    title, and two groups sharing one would merge into one bar or column and lose a group's numbers (seen in
    real records: cyanheads/clinicaltrialsgov-mcp-server#128, drugis/addis#91). Other titles stay as posted;
    `group_position` is the 0-based place in the posted list."""
    if frame.empty or "group" not in frame or "group_position" not in frame:
        return frame
    keys = [*scope, "group"]
    repeated = frame.groupby(keys, dropna=False, sort=False).group_position.transform("nunique") > 1
    if not repeated.any():
        return frame
    out = frame.copy()
    out.loc[repeated, "group"] = [f"{g} (group {int(p) + 1})" for g, p in
                                  zip(out.group[repeated], out.group_position[repeated], strict=True)]
    return out


def measure_long(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per posted measurement, with its group, place (class, category), denominator and, for the
    chart, the value and its error bar as numbers (NaN where the posted text is not a number)."""
    groups, meas, counts = data["groups"], data["measurements"], data["counts"]
    cols = ["group", "group_position", "class_position", "classification", "category_position", "category", "x",
            "value", "spread", "lower_limit", "upper_limit", "comment", "denominator", "y", "err_minus", "err_plus",
            "flag"]
    if meas.empty:
        return pd.DataFrame(columns=cols)
    df = meas.merge(groups, on="group_id", how="left")
    # A group id the measure does not list (flagged): its code, as posted.
    df["group"] = [g if isinstance(g, str) else f"{c} (a group the measure does not list)"
                   for g, c in zip(df.group, df.get("ctgov_group_code", df.group), strict=True)]
    found = data.get("flags")
    positions = df["position"] if "position" in df.columns else pd.Series([0] * len(df), index=df.index)
    df["flag"] = [flag_notes(found, f"classes[{c}].categories[{k}].measurements[{j}].")
                  for c, k, j in zip(df.class_position, df.category_position, positions, strict=True)]
    first = counts[counts.denom_position == 0]
    overall = {g: c for g, c, cp in zip(first.group_id, first["count"], first.class_position, strict=True) if pd.isna(cp)}
    by_class = {(g, int(cp)): c for g, c, cp in zip(first.group_id, first["count"], first.class_position, strict=True)
                if not pd.isna(cp)}
    df["denominator"] = [by_class.get((g, int(c)), overall.get(g)) for g, c in zip(df.group_id, df.class_position,
                                                                                     strict=True)]
    df["x"] = [" · ".join(str(p) for p in (c, k) if not _blank(p)) or "All participants analysed"
               for c, k in zip(df.classification, df.category, strict=True)]
    df["value"] = df["param_value"]
    df["y"] = [None if f else number(v) for v, f in zip(df.value, df.flag, strict=True)]  # flagged: not drawn
    minus: list[float | None] = []
    plus: list[float | None] = []
    for y, s, lo, hi in zip(df.y, df.spread, df.lower_limit, df.upper_limit, strict=True):
        s_, lo_, hi_ = number(s) if not _blank(s) else None, number(lo) if not _blank(lo) else None, \
            number(hi) if not _blank(hi) else None
        if y is None or pd.isna(y):
            minus.append(None)
            plus.append(None)
        elif s_ is not None:
            minus.append(s_)
            plus.append(s_)
        else:
            minus.append(y - lo_ if lo_ is not None else None)
            plus.append(hi_ - y if hi_ is not None else None)
    df["err_minus"], df["err_plus"] = minus, plus
    return df[cols].reset_index(drop=True)


def measure_kind(long: pd.DataFrame) -> str:
    """"lines" for a measurement over time (two or more classes titled as time points, one category each),
    "bars" for everything else; "none" when no posted value is a number."""
    if long.empty or long.y.isna().all():
        return "none"
    classes = long.drop_duplicates("class_position")
    one_category = long.groupby("class_position").category_position.nunique().max() == 1
    if len(classes) >= 2 and one_category and all(isinstance(c, str) and TIME_POINT.search(c)
                                                  for c in classes.classification):
        return "lines"
    return "bars"


def error_label(dispersion_type: object) -> str | None:
    """What the error bars show: the dispersion type exactly as posted."""
    return None if _blank(dispersion_type) else str(dispersion_type)


def posted_dispersion(spread: object, lower_limit: object, upper_limit: object) -> str:
    """A value's dispersion as posted: its spread, else its limits ("15.56 to 22.64", a missing one left blank),
    else ""."""
    if not _blank(spread):
        return str(spread)
    if not _blank(lower_limit) or not _blank(upper_limit):
        return f"{'' if _blank(lower_limit) else lower_limit} to {'' if _blank(upper_limit) else upper_limit}"
    return ""


def measure_table(long: pd.DataFrame, dispersion_type: object, unit: object) -> pd.DataFrame:
    """The numbers as posted: one row per class, category and group."""
    disp = error_label(dispersion_type)
    spread_name = disp or "Dispersion"

    out = pd.DataFrame({
        "Class": long.classification.fillna(""), "Category": long.category.fillna(""), "Group": long.group,
        f"Value ({unit})" if not _blank(unit) else "Value": long.value,
        spread_name: [posted_dispersion(*v) for v in zip(long.spread, long.lower_limit, long.upper_limit, strict=True)],
        "Participants analysed": long.denominator.fillna(""), "Comment": long.comment.fillna(""),
        "Flag": long.flag.fillna("") if "flag" in long.columns else ""})
    keep = [c for c in out.columns if c in ("Group",) or c.startswith("Value") or out[c].astype(str).str.len().gt(0).any()]
    return out[keep]


def analyses_table(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The posted statistical analyses: groups compared, p-value and estimate exactly as posted."""
    an, ag, groups = data["analyses"], data["analysis_groups"], data["groups"]
    names = {i: g if isinstance(g, str) else c
             for i, g, c in zip(groups.group_id, groups.group, groups.get("ctgov_group_code", groups.group), strict=True)}
    rows = []
    for a in an.itertuples():
        compared = [names.get(g, "?") for g in ag.loc[ag.analysis_id == a.analysis_id, "group_id"]]
        ci = ""
        if not _blank(a.ci_lower_limit) or not _blank(a.ci_upper_limit):
            pct = f"{a.ci_percent}% " if not _blank(a.ci_percent) else ""
            sides = f" ({label(a.ci_n_sides).lower()})" if not _blank(a.ci_n_sides) else ""
            ci = (f"{pct}CI {'' if _blank(a.ci_lower_limit) else a.ci_lower_limit} to "
                  f"{'' if _blank(a.ci_upper_limit) else a.ci_upper_limit}{sides}")
        estimate = " ".join(str(x) for x in (a.param_type, a.param_value) if not _blank(x))
        rows.append({"Groups compared": " vs ".join(compared), "p-value (as posted)": a.p_value or "",
                     "Method": a.method or "", "Estimate": estimate, "Confidence interval": ci,
                     "Non-inferiority or equivalence": label(a.non_inferiority_type) if not _blank(a.non_inferiority_type)
                     else "", "Flag": flag_notes(data.get("flags"), f"analyses[{a.position}].")})
    cols = ["Groups compared", "p-value (as posted)", "Method", "Estimate", "Confidence interval",
            "Non-inferiority or equivalence", "Flag"]
    out = pd.DataFrame(rows, columns=cols)
    return out if out.Flag.astype(bool).any() else out.drop(columns="Flag")  # the column only where a value is flagged


def measures_table(measures: pd.DataFrame) -> pd.DataFrame:
    """The list of a trial's outcome measures, primary first."""
    return pd.DataFrame({
        "Type": [label(t) for t in measures.outcome_type], "Title": measures.title,
        "Time frame": measures.time_frame.fillna(""), "Parameter": [label(p) if isinstance(p, str) else ""
                                                                   for p in measures.param_type],
        "Unit": measures.unit_of_measure.fillna(""), "Posted analyses": measures.n_analyses})


def event_totals_table(totals: pd.DataFrame) -> pd.DataFrame:
    """Per event group: participants affected of at risk, for deaths, serious and other events (as posted)."""
    rows = []
    for (_pos, group), g in totals.groupby(["group_position", "group"], sort=True):
        row = {"Group": group}
        for kind, name in (("deaths", "Deaths"), ("serious", "Serious adverse events"), ("other", "Other adverse events")):
            t = g[g.event_type == kind]
            row[name] = _of(t.subjects_affected.iloc[0], t.subjects_at_risk.iloc[0]) if len(t) else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["Group", "Deaths", "Serious adverse events", "Other adverse events"])


def _of(k: object, n: object) -> str:
    if _blank(k) and _blank(n):
        return ""
    return f"{'?' if _blank(k) else format(k, '.0f')} of {'?' if _blank(n) else format(n, '.0f')}"


EVENT_SORTS = {"Organ system, then term": ["Organ system", "Term"], "Term": ["Term"],
               "Participants affected (most first)": ["_affected"]}


def events_table(events: pd.DataFrame, kinds: tuple[str, ...] = ("serious", "other"),
                 sort: str = "Organ system, then term") -> pd.DataFrame:
    """One row per posted event term, a column per group with participants affected of at risk
    (vectorised: a trial may post thousands of terms)."""
    ev = events[events.event_type.isin(kinds)]
    groups = list(dict.fromkeys(ev.sort_values("group_position", kind="stable").group))
    cols = ["Type", "Term", "Organ system", *groups]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    key = ["event_type", "position"]
    cell = (ev.subjects_affected.astype("Int64").astype("string").fillna("?") + " of "
            + ev.subjects_at_risk.astype("Int64").astype("string").fillna("?"))
    wide = ev.assign(cell=cell).pivot_table(index=key, columns="group", values="cell", aggfunc="first")
    first = ev.drop_duplicates(key).set_index(key)
    df = pd.DataFrame({"Type": ["Serious" if k == "serious" else "Other" for k, _ in first.index],
                       "Term": first.term.to_numpy(), "Organ system": first.organ_system.fillna("").to_numpy(),
                       "_affected": ev.groupby(key, sort=False).subjects_affected.sum().reindex(first.index).to_numpy()},
                      index=first.index)
    df = df.join(wide[groups].fillna("")).reset_index(drop=True)
    keys = EVENT_SORTS.get(sort, EVENT_SORTS["Organ system, then term"])
    df = df.sort_values(keys, ascending=[k != "_affected" for k in keys], kind="stable",
                        key=lambda c: c.str.lower() if c.name != "_affected" else c)
    return df.drop(columns="_affected").reset_index(drop=True)[cols]


def events_chart_frame(events: pd.DataFrame, kind: str, top: int = 15) -> tuple[pd.DataFrame, int]:
    """The `top` terms of one kind by participants affected (all groups), per group with the share
    affected (computed here); and how many terms there are in all."""
    # A count above its denominator (flagged count_above_denominator, trialdb/flags.py) gives no percentage.
    ev = events[(events.event_type == kind) & events.subjects_at_risk.gt(0)
                & ~events.subjects_affected.gt(events.subjects_at_risk)].copy()
    cols = ["term", "group", "group_position", "affected", "at_risk", "percent", "text"]
    if ev.empty:
        return pd.DataFrame(columns=cols), 0
    ev["key"] = ev.position
    total = ev.groupby("key").subjects_affected.sum().sort_values(ascending=False, kind="stable")
    chosen = list(total.index[:top])
    ev = ev[ev.key.isin(chosen)]
    terms = ev.drop_duplicates("key").set_index("key").term
    # Two posted terms can read the same (other organ system): the organ system tells them apart.
    dup = terms.duplicated(keep=False)
    names = {k: (f"{t} ({o})" if dup[k] and isinstance(o, str) else t)
             for k, t, o in zip(terms.index, terms, ev.drop_duplicates("key").set_index("key").organ_system,
                                strict=True)}
    out = pd.DataFrame({
        "term": [names[k] for k in ev.key], "group": ev.group, "group_position": ev.group_position,
        "affected": ev.subjects_affected.astype("Int64"), "at_risk": ev.subjects_at_risk.astype("Int64")})
    out["percent"] = 100 * out.affected.astype(float) / out.at_risk.astype(float)
    out["text"] = [f"{a} of {n}" for a, n in zip(out.affected, out.at_risk, strict=True)]
    order = {names[k]: i for i, k in enumerate(chosen)}
    out = out.sort_values(["term", "group_position"], key=lambda c: c.map(order) if c.name == "term" else c)
    return out[cols].reset_index(drop=True), len(total)


def forest_frame(totals: pd.DataFrame, max_trials: int = 30) -> tuple[pd.DataFrame, int]:
    """Each trial's groups with participants affected of at risk, and the proportion with its Wilson 95%
    interval (computed here); the `max_trials` most recently posted trials; how many trials there are."""
    t = totals[totals.subjects_at_risk.fillna(0).gt(0) & totals.subjects_affected.notna()
               & ~totals.subjects_affected.gt(totals.subjects_at_risk)].copy()  # flagged: no proportion
    cols = ["nct_id", "indication", "group", "label", "affected", "at_risk", "proportion", "low", "high"]
    if t.empty:
        return pd.DataFrame(columns=cols), 0
    trials = (t.drop_duplicates("nct_id").sort_values(["results_first_posted_date", "nct_id"], ascending=[False, True],
                                                       na_position="last").nct_id)
    n_trials = len(trials)
    t = t[t.nct_id.isin(set(trials[:max_trials]))]
    ci = [wilson(int(k), int(n)) for k, n in zip(t.subjects_affected, t.subjects_at_risk, strict=True)]
    out = pd.DataFrame({
        "nct_id": t.nct_id, "indication": t.indication, "group": t.group,
        "label": [f"{n} · {g}" for n, g in zip(t.nct_id, t.group, strict=True)],
        "affected": t.subjects_affected.astype(int), "at_risk": t.subjects_at_risk.astype(int),
        "proportion": t.subjects_affected.astype(float) / t.subjects_at_risk.astype(float),
        "low": [lo for lo, _ in ci], "high": [hi for _, hi in ci]})
    return out[cols].reset_index(drop=True), n_trials


def forest_table(forest: pd.DataFrame) -> pd.DataFrame:
    """The forest's numbers: posted counts, and the proportion and Wilson interval computed here (method in
    the column names and the page's caption); few columns, so it fits a phone."""
    return pd.DataFrame({
        "Trial": forest.nct_id, "Group": forest.group,
        "Affected of at risk (posted)": [f"{k} of {n}" for k, n in zip(forest.affected, forest.at_risk, strict=True)],
        "% (computed)": (100 * forest.proportion).round(1),
        "Wilson 95% CI % (computed)": [f"{100 * lo:.1f} to {100 * hi:.1f}" for lo, hi in
                                       zip(forest.low, forest.high, strict=True)]})


def count_totals(values: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """From posted counts of participants (trialdb.results.queries.count_measure_values) to the rows a
    forest takes: measures with one value per group (no classes or categories) whose count and
    denominator are whole numbers, the count not above it. Also how many measures were left out."""
    cols = ["nct_id", "brief_title", "indication", "results_first_posted_date", "group_position", "group",
            "subjects_affected", "subjects_at_risk"]
    if values.empty:
        return pd.DataFrame(columns=cols), 0
    simple = values.groupby("measure_id").apply(
        lambda g: bool((g.class_position == 0).all() and (g.category_position == 0).all()
                       and g.group_position.is_unique), include_groups=False)
    whole = values.param_value.str.fullmatch(r"\d+").fillna(False) & \
        values.denominator.astype("string").str.fullmatch(r"\d+").fillna(False)
    ok_measure = values.measure_id.map(simple) & whole.groupby(values.measure_id).transform("all")
    # One measure per trial: the first posted under the title.
    first = values[ok_measure].groupby("nct_id").measure_id.transform("min")
    kept = values[ok_measure][values[ok_measure].measure_id == first].copy()
    kept["subjects_affected"] = kept.param_value.astype(int)
    kept["subjects_at_risk"] = kept.denominator.astype(int)
    kept = kept[kept.subjects_affected <= kept.subjects_at_risk]
    dropped = values.measure_id.nunique() - kept.measure_id.nunique()
    return kept[cols].reset_index(drop=True), dropped


def flow_table(flow: dict) -> pd.DataFrame:
    """Participant flow as posted: one row per period and milestone (then reasons for not completing),
    a column per group."""
    parts = []
    for part, kind in (("milestones", "Milestone"), ("drops", "Not completed because")):
        df = flow[part]
        if not df.empty:
            parts.append(df.assign(kind=kind, order=0 if part == "milestones" else 1))
    if not parts:
        return pd.DataFrame(columns=["Period", "Milestone"])
    long = pd.concat(parts, ignore_index=True)
    groups = list(dict.fromkeys(long.sort_values("group_position", kind="stable").group))
    key = ["period_position", "order", "position"]
    wide = long.pivot_table(index=key, columns="group", values="count", aggfunc="first")
    first = long.drop_duplicates(key).set_index(key)
    names = [t if k == "Milestone" else f"{k}: {t}" for k, t in zip(first.kind, first.title, strict=True)]
    out = pd.DataFrame({"Period": list(first.period.fillna("")), "Milestone": names},
                       index=first.index).join(wide[groups].fillna(""))
    return out.sort_index().reset_index(drop=True)
