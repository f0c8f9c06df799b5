"""One colour per indication, per status and per arm, the same on every chart; colour-blind safe
(Okabe-Ito for indications, Paul Tol's muted scheme for statuses). Charts never rely on colour
alone: every trace is also named, labelled on hover and listed in a table."""

from __future__ import annotations

import zlib

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
INDICATION_COLOURS = dict(zip(("SLE", "RA", "pSS"), OKABE_ITO, strict=False))
# For indications beyond the seeded three: the rest of Okabe-Ito (yellow, 6, is too pale on white),
# then Paul Tol's bright and muted colours not already taken.
_SPARE = [OKABE_ITO[i] for i in (3, 4, 5, 7)] + ["#AA3377", "#228833", "#CCBB44", "#882255"]
_assigned: dict[str, str] = {}

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


def assign_indications(codes) -> None:
    """Give the database's other indications distinct spare colours, in sorted order, so that two
    of them share a colour only past the palette's end (their names still tell them apart)."""
    extra = sorted(c for c in set(codes) if c not in INDICATION_COLOURS)
    _assigned.clear()
    _assigned.update({c: _SPARE[i % len(_SPARE)] for i, c in enumerate(extra)})


def indication_colour(code: str) -> str:
    # Not assigned yet (a figure drawn outside the app): a stable spare colour from the code itself.
    return INDICATION_COLOURS.get(code) or _assigned.get(code) or _SPARE[zlib.crc32(code.encode()) % len(_SPARE)]


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "#BBBBBB")


# Kinds of registry change on the "What's new" chart (trialdb.changes.KIND_ORDER): Okabe-Ito, with grey
# for the catch-all.
CHANGE_KIND_COLOURS = {"new trial": "#0072B2", "status": "#D55E00", "results": "#009E73", "dates": "#E69F00",
                       "enrolment": "#CC79A7", "design and other": "#7F7F7F"}

# Result groups posted on the registry (arms as the sponsor named them): one colour per group position.
RESULT_GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#882255"]


def result_group_colour(position: int) -> str:
    return RESULT_GROUP_COLOURS[position % len(RESULT_GROUP_COLOURS)]
