"""One colour per indication or disease area, per status and per arm, the same on every chart;
colour-blind safe (Okabe-Ito for indications and areas, Paul Tol's muted scheme for statuses). Charts
never rely on colour alone: every trace is also named, labelled on hover and listed in a table."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from trialdb.indications import AREA_BY_CODE, AREAS, INDICATIONS, OTHER, area_of

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# The colours a reader tells apart on white, colour-blind or not: Okabe-Ito without its yellow (too pale).
SERIES_COLOURS = [OKABE_ITO[i] for i in (0, 1, 2, 3, 4, 5, 7)]
MAX_SERIES = len(SERIES_COLOURS)  # past this many indications, a chart groups them (see `palette`)
OTHER_COLOUR = "#7F7F7F"
# The seeded three keep the colours every chart has used; they are kept in the one indication table.
INDICATION_COLOURS = {i.code: i.colour for i in INDICATIONS if i.colour}
# One colour per disease area (trialdb.indications.AREAS), the same on every chart. Rheumatology takes
# SLE's blue, so the seed portfolio reads the same whether drawn by indication or by area.
AREA_COLOURS = {"rheumatology": "#0072B2", "endocrinology": "#E69F00", "transplant": "#009E73",
                "dermatology": "#CC79A7", "gastroenterology": "#56B4E9", "neurology": "#D55E00",
                "other": OTHER_COLOUR}

STATUS_COLOURS = {
    "COMPLETED": "#332288", "UNKNOWN": "#AAAAAA", "RECRUITING": "#117733", "ACTIVE_NOT_RECRUITING": "#44AA99",
    "NOT_YET_RECRUITING": "#88CCEE", "ENROLLING_BY_INVITATION": "#DDCC77", "SUSPENDED": "#AA4499",
    "TERMINATED": "#CC6677", "WITHDRAWN": "#882255", "WITHHELD": "#999933",
}
ARM_COLOURS = {"IL-2": "#D55E00", "Placebo": "#7F7F7F"}
ROLE_COLOURS = {"active": "#D55E00", "placebo": "#7F7F7F", "background": "#7F7F7F"}
OTHER_DRUG_COLOUR = "#CC79A7"  # an active drug that is not IL-2 (belimumab)
REST_FILL = "rgba(127,127,127,0.12)"
DOSING_FILL = "rgba(213,94,0,0.08)"


@dataclass(frozen=True)
class Palette:
    """How the charts of one selection group and colour its indications: one series per indication
    while there are few enough to tell apart (MAX_SERIES), else one per disease area, else (all in one
    area) its largest indications and an "Other" series. No two series share a colour, the legend
    never needs to scroll, and every page of one selection uses the same palette."""

    by: str  # "indication", "area" or "largest"
    series: dict[str, str]  # indication code -> the name of its series
    colours: dict[str, str]  # series name -> colour, in legend (and stacking) order

    @property
    def title(self) -> str:
        return {"area": "Disease area"}.get(self.by, "Indication")

    def series_of(self, code: str) -> str:
        return self.series.get(code, code)

    def colour_of_series(self, name: str) -> str:
        return self.colours.get(name, OTHER_COLOUR)

    def colour(self, code: str) -> str:
        """The colour of an indication's series (grey for a code the palette was not made for)."""
        return self.colour_of_series(self.series_of(code))


def _indication_colours(items: list[tuple[str, str, int]]) -> dict[str, str]:
    """At most MAX_SERIES indications, each its own colour: the seeded three their fixed ones, the
    others their area's colour where still free (so T1D stays orange from one view to the next), else
    the first free one."""
    taken = {INDICATION_COLOURS[c] for c, _, _ in items if c in INDICATION_COLOURS}
    out = {}
    for code, area, _ in items:
        colour = INDICATION_COLOURS.get(code)
        if colour is None:
            wish = AREA_COLOURS.get(area)
            colour = wish if wish in SERIES_COLOURS and wish not in taken else next(
                c for c in SERIES_COLOURS if c not in taken)
            taken.add(colour)
        out[code] = colour
    return out


def palette(indications: Iterable[tuple[str, str, int]]) -> Palette:
    """The palette of a selection from its indications as (code, area code, trials)."""
    total: dict[str, int] = {}
    areas: dict[str, str] = {}
    for code, area, n in indications:
        total[code] = total.get(code, 0) + int(n)
        areas[code] = area if area in AREA_BY_CODE else OTHER
    # Largest first (they stack at the bottom and lead the legend); ties by code, so the order is stable.
    items = sorted(((c, areas[c], n) for c, n in total.items()), key=lambda x: (-x[2], x[0]))
    if len(items) <= MAX_SERIES:
        return Palette("indication", {c: c for c, _, _ in items}, _indication_colours(items))
    by_area: dict[str, int] = {}
    for _, area, n in items:
        by_area[area] = by_area.get(area, 0) + n
    if len(by_area) > 1:
        names = {a: area_label(a) for a in by_area}
        order = sorted(by_area, key=lambda a: (-by_area[a], [x.code for x in AREAS].index(a)))
        return Palette("area", {c: names[a] for c, a, _ in items}, {names[a]: AREA_COLOURS[a] for a in order})
    top, rest = items[: MAX_SERIES - 1], items[MAX_SERIES - 1 :]
    other = f"Other ({len(rest)} indications)"
    colours = _indication_colours(top)
    return Palette("largest", {c: c if c in colours else other for c, _, _ in items},
                   {**{c: colours[c] for c, _, _ in top}, other: OTHER_COLOUR})


def area_label(code: str) -> str:
    """An area as a chart names it: its code, as in the filter and the URL ("Transplant", not
    "Transplantation and GVHD"), short enough for a legend on a phone."""
    return code.capitalize()


def palette_of_codes(codes: Iterable[str], trials: Iterable[int] | None = None) -> Palette:
    """A palette from indication codes alone (each with its trials, else counted once per row), their
    areas from the indication table: for a figure drawn outside the app, from a frame."""
    counts: dict[str, int] = {}
    for c, n in zip(codes, trials if trials is not None else itertools.repeat(1), strict=False):
        counts[c] = counts.get(c, 0) + int(n)
    return palette((c, area_of(c).code, n) for c, n in counts.items())


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "#BBBBBB")


# Kinds of registry change on the "What's new" chart (trialdb.registry.changes.KIND_ORDER): Okabe-Ito, with grey
# for the catch-all.
CHANGE_KIND_COLOURS = {"new trial": "#0072B2", "status": "#D55E00", "results": "#009E73", "dates": "#E69F00",
                       "enrolment": "#CC79A7", "design and other": "#7F7F7F"}

# Result groups posted on the registry (arms as the sponsor named them): one colour per group position.
RESULT_GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255"]


def result_group_colour(position: int) -> str:
    return RESULT_GROUP_COLOURS[position % len(RESULT_GROUP_COLOURS)]


def ink_on(colour: str) -> str:
    """Black or white, whichever is the more legible on `colour` ("#RRGGBB"): the larger contrast ratio of
    WCAG 2.2's relative luminance (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). For labels inside
    bars."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"
