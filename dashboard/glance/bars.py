"""The overview at a glance (issue 33), its pure part: each small chart of the selection (trials by indication or
disease area, by status, by year of stated start, from dashboard.frames' glance_* frames) as HTML bars, every bar a
link that opens the overview filtered to it. No Streamlit here: dashboard/glance/view.py draws them.

Why HTML and not Vega-Lite: the first Vega-Lite chart of a page makes the browser load and start Vega's module,
which no other part of the overview needs. Measured with `python bench/run.py --pages "" --runs 2 --portfolios both
--no-cold-start` on a quiet machine, three Vega-Lite charts took the overview's warm load to 3.13x (seed) and 3.65x
(10,000 trials) against the 2.5x target, and sorting its table to 3.6x against issue 14's 3x. Bars of HTML cost
the page one element, and each bar is a link a keyboard reaches, a screen reader names ("Completed: 2 trials") and
a middle click opens in a new tab."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import pandas as pd

from dashboard.frames import YEAR_NOT_STATED, filter_link, singular
from dashboard.theme import OTHER_COLOUR
from trialdb.enums import label
from trialdb.queries import NOT_STATED

# What a bar's link sets, and the filters it clears because they would widen it (an area chosen beside an
# indication means both: a click on an indication must not keep the area).
CLEARS: dict[str, tuple[str, ...]] = {"indication": ("area",), "area": ("indication",), "status": (),
                                      "start_year": ()}
NUMBERED = 15  # a chart by year writes each number level over its column up to this many years, upwards past it
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def url_values(param: str, value: str) -> list[str]:
    """A bar's `value` (its codes, ";"-joined: the "Other" bar holds several indications) as the URL writes them
    (dashboard.filters.url_filter's forms): statuses as their labels, the undated trials' year as "not stated",
    indication and area codes as they are."""
    values = [v for v in value.split(";") if v]
    if param == "status":
        return [label(v) for v in values]
    if param == "start_year":
        return [YEAR_NOT_STATED if v == NOT_STATED else v for v in values]
    return values


def link(param: str, value: str, kept: Sequence[tuple[str, str]]) -> str:
    """The link of a bar: the overview with `param` set to the bar's values, and the rest of the current filter and
    search (`kept`: URL pairs, as filters.url_filter gives them) kept, less `param` itself and what CLEARS names.
    A relative link (frames.filter_link: only the filter's parameters, each percent-encoded)."""
    drop = {param, *CLEARS.get(param, ())}
    return filter_link([*((param, v) for v in url_values(param, value)), *((k, v) for k, v in kept if k not in drop)])


def count(n: int, noun: str) -> str:
    """"1 trial", "2 trials", "1 study", "2 studies" (`noun`: "trials" or "studies")."""
    return f"{n:,} {noun if n != 1 else singular(noun)}"


def _colour(colour: object) -> str:
    """A bar's colour as CSS: the palette's hex colours only (nothing else from a frame reaches a style)."""
    return colour if isinstance(colour, str) and _HEX.fullmatch(colour) else OTHER_COLOUR


def _bar(r, kept: Sequence[tuple[str, str]], noun: str) -> tuple[str, str]:
    """(attributes of a bar's link, its colour): its target, and its name for a tooltip and a screen reader."""
    name = f"{r.label}: {count(int(r.trials), noun)}" + (f" ({r.detail})" if r.detail else "")
    return (f'href="{html.escape(link(r.param, r.value, kept))}" title="{html.escape(name)}. Click to filter to it." '
            f'aria-label="{html.escape(name)}"'), _colour(r.colour)


def chart(frame: pd.DataFrame, title: str, kept: Sequence[tuple[str, str]], horizontal: bool = True,
          noun: str = "trials") -> str:
    """One small chart as HTML (`frame`: a frames.glance_* frame, one row per bar: label, trials, colour, param,
    value, detail): a titled section whose bars are links (`link`). Horizontal: a row per bar, its label, a bar
    as long as its trials against the longest, and the number. Vertical (years, in order): a column per year as tall
    as its trials against the tallest year, the year under it and the number over it (past NUMBERED years, written
    upwards as the years are); the trials whose sources state no start date (value NOT_STATED) on a line of their
    own under the years, a link like the bars, never a column on the years' scale. A year of no trials is drawn as
    an empty slot, not a link (its filter would show nothing). Every text escaped; styled by
    dashboard/any_screen.css (`.glance`). `noun`: what a bar counts, "trials", or "studies" when the selection holds
    several study types."""
    head = f'<section class="gl-chart" aria-label="{html.escape(title)}"><h3 class="gl-title">{html.escape(title)}</h3>'
    if frame.empty:
        return head + f'<p class="gl-note">No {singular(noun)}.</p></section>'
    if horizontal:
        top = max(int(frame.trials.max()), 1)
        rows = []
        for r in frame.itertuples(index=False):
            attrs, colour = _bar(r, kept, noun)
            width = 100 * int(r.trials) / top
            rows.append(f'<li><a class="gl-row" {attrs}><span class="gl-label">{html.escape(str(r.label))}</span>'
                        f'<span class="gl-track"><span class="gl-fill" style="width:{width:.1f}%;background:{colour}">'
                        f'</span></span><span class="gl-n">{int(r.trials):,}</span></a></li>')
        return head + f'<ul class="gl-rows">{"".join(rows)}</ul></section>'
    # The trials whose sources state no start date are no year: a line of their own under the years, never a
    # column on the years' scale (as one it read as a jump after the last year and squashed the years under it).
    undated = frame[frame.value == NOT_STATED]
    years = frame[frame.value != NOT_STATED]
    top = max(int(years.trials.max()) if len(years) else 1, 1)
    upright = len(years) <= NUMBERED  # more years than that: each number written up the column, as the years are
    cols = []
    for r in years.itertuples(index=False):
        n = int(r.trials)
        year = f'<span class="gl-year">{html.escape(str(r.label))}</span>'
        if not n:
            cols.append(f'<span class="gl-col gl-empty" title="{html.escape(str(r.label))}: none">'
                        f'<span class="gl-plot"></span>{year}</span>')
            continue
        attrs, colour = _bar(r, kept, noun)
        cols.append(f'<a class="gl-col" {attrs}><span class="gl-plot"><span class="gl-fill" '
                    f'style="height:{100 * n / top:.1f}%;background:{colour}"><span class="gl-n">{n:,}</span>'
                    f'</span></span>{year}</a>')
    body = f'<div class="gl-years{"" if upright else " gl-many"}">{"".join(cols)}</div>' if cols else ""
    for r in undated.itertuples(index=False):
        attrs, colour = _bar(r, kept, noun)
        body += (f'<p class="gl-undated"><a {attrs}><span class="gl-swatch" style="background:{colour}"></span>'
                 f'Start not stated: {count(int(r.trials), noun)}</a></p>')
    return head + body + "</section>"


def charts(frames_: Sequence[tuple[pd.DataFrame, str, bool]], kept: Sequence[tuple[str, str]],
           noun: str = "trials", skip_to: str | None = None) -> str:
    """The overview's charts at a glance, side by side (stacked on a narrow screen): one HTML block of `chart`s,
    from (frame, title, horizontal) triples. `skip_to`: the id of what follows them (the table's heading), for a
    link first in the block, shown when a keyboard reaches it, that skips their every bar (WCAG 2.4.1)."""
    inner = "".join(chart(frame, title, kept, horizontal, noun) for frame, title, horizontal in frames_)
    skip = (f'<a class="gl-skip" href="#{html.escape(skip_to)}">Skip the charts to the {html.escape(noun)}\' table</a>'
            if skip_to else "")
    return f'<div class="glance">{skip}{inner}</div>'
