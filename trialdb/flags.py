"""The one list of flags: what a value the registry posted can break, and what follows from it.

The registry is the authority on its own records. A value it published is kept exactly as posted (in the
database and in `export`) and shown as posted; where it breaks an expectation, a flag records which one
(`flags` table: nct_id, path, kind, value), the pages show the flag next to the value, and the value is left
out of anything computed here (a sum, a percentage, a chart's mark, a sort). A flag never refuses a record:
refusal is kept for what cannot be represented safely (not JSON, not a study, no valid NCT id, a required
module missing, a JSON type the API never sends; see trialdb/registry/importer.py and trialdb/results/section.py).

API for other modules (add a kind here, with its test in tests/test_flags.py):
- `KINDS`: key -> `FlagKind(key, sentence, source)`; `sentence(key)` the words the pages show.
- Checks, one per kind of value: `p_value_kind(text)`, `count_above(count, denominator)`,
  `whole_number(text)`, `enrollment_placeholder(count)`, `coordinate_out_of_range(value, limit)` (and
  `on_the_map(lat, lon)` for drawing); `usable_p_value(text)` for computing. Kinds decided
  where the record is read: "arm_names_unknown_intervention" and "enum_value_unknown" (trialdb/load.py,
  `Checks.enum`: an imported value of the API's token shape this version does not list).
- `store(session, nct, flagged)` (adds a new study's flags), `flagged(...)` rows
  as (path, kind, value) tuples, and `for_study(session, nct)` to read them back. The table itself is
  `trialdb.store.models.Flag`, with the other tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb.store.models import Flag

CTGOV_DEFINITIONS = "ClinicalTrials.gov results data element definitions (prsinfo/results_definitions.html)"


@dataclass(frozen=True)
class FlagKind:
    key: str
    sentence: str  # what the pages show beside the value: "⚑ flagged: <sentence>"
    source: str  # where the expectation comes from


KINDS: dict[str, FlagKind] = {k.key: k for k in (
    FlagKind("p_value_with_sign", "p-value posted with a sign or prefix (e.g. \"=0.247\"), not used in computations",
             f"{CTGOV_DEFINITIONS}: P-Value is a number, or an inequality such as <0.001"),
    FlagKind("p_value_not_a_number", "p-value posted as words, not a number",
             f"{CTGOV_DEFINITIONS}: P-Value is a number, or an inequality such as <0.001"),
    FlagKind("p_value_out_of_range", "p-value outside 0 to 1, not used in computations",
             "a probability lies between 0 and 1"),
    FlagKind("count_above_denominator", "count above its denominator, not used to compute a percentage",
             f"{CTGOV_DEFINITIONS}: a count of participants is at most the number analysed (affected at most at risk)"),
    FlagKind("denominator_not_whole", "denominator that is not a whole number, not used to compute a percentage",
             f"{CTGOV_DEFINITIONS}: Overall Number of Participants Analyzed is a whole number"),
    FlagKind("unknown_group", "names a group the module (or measure) does not list",
             f"{CTGOV_DEFINITIONS}: every value belongs to one of the module's groups (arms)"),
    FlagKind("arm_names_unknown_intervention", "an arm names an intervention the record does not list: kept as "
             "written, not linked", "ClinicalTrials.gov data element definitions: an arm's interventions are "
             "among the study's interventions (Arm/Group and Intervention Cross-Reference)"),
    FlagKind("enum_value_unknown", "a value this version of the dashboard does not know (the registry may have "
             "added it): kept as posted", "ClinicalTrials.gov API v2 data model: enum values are tokens such as "
             "RECRUITING; the registry adds values over time (COMBINATION_PRODUCT, DIAGNOSTIC_TEST, "
             "DEVICE_FEASIBILITY); trialdb/enums.py lists those known here"),
    FlagKind("geo_point_out_of_range", "a site's coordinate outside the globe (latitude beyond ±90 or longitude "
             "beyond ±180 degrees): kept as posted, the site not placed on the map",
             "ClinicalTrials.gov API v2 data model: geoPoint {lat, lon} in decimal degrees (WGS 84)"),
    FlagKind("enrollment_placeholder", "enrolment 99999999 is the registry's placeholder: not stated",
             "ClinicalTrials.gov writes 99999999 for an enrolment it does not know (reported by AACT and "
             "registry-client users); see ../shared/fixtures/quirks/README.md"),
)}

ENROLLMENT_PLACEHOLDER = 99999999
ENROLLMENT_PATH = "designModule.enrollmentInfo.count"

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_INEQUALITY = re.compile(rf"(?:<=|>=|[<>≤≥])?\s*({_NUMBER})")
_WITH_SIGN = re.compile(rf"(?i)(?:p\s*)?(?:=|==|<=|>=|[<>≤≥])?\s*=?\s*({_NUMBER})")


def sentence(kind: str) -> str:
    """The words the pages show for a flag of `kind` (KeyError for a kind not in `KINDS`)."""
    return KINDS[kind].sentence


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def p_value_kind(text: str) -> str | None:
    """None for a p-value as the API defines it (a number from 0 to 1, or an inequality such as "<0.001");
    else the flag kind: "p_value_with_sign" ("=0.247", "p=0.04"), "p_value_out_of_range" ("1.7"),
    "p_value_not_a_number" ("significant")."""
    t = text.strip()
    if m := _INEQUALITY.fullmatch(t):
        n = _float(m.group(1))
        return None if n is not None and 0 <= n <= 1 else "p_value_out_of_range"
    if m := _WITH_SIGN.fullmatch(t):
        n = _float(m.group(1))
        return "p_value_with_sign" if n is not None and 0 <= n <= 1 else "p_value_out_of_range"
    return "p_value_not_a_number"


def usable_p_value(text: object) -> bool:
    """Whether a posted p-value may be used in a computation (it carries no flag)."""
    return isinstance(text, str) and p_value_kind(text) is None


def whole_number(text: object) -> bool:
    """Whether a posted count or denominator is a whole number as the API writes it ("14")."""
    return isinstance(text, str) and re.fullmatch(r"\d+", text) is not None


def count_above(count: float | None, denominator: float | None) -> bool:
    """Whether a count is above its denominator (both known): the count gets `count_above_denominator`."""
    return count is not None and denominator is not None and count > denominator


def enrollment_placeholder(count: object) -> bool:
    """Whether an enrolment count is the registry's placeholder 99999999 (shown and computed as not stated)."""
    return count == ENROLLMENT_PLACEHOLDER


def coordinate_out_of_range(value: object, limit: float) -> bool:
    """Whether a geoPoint coordinate (a number: the importer refuses any other type) lies outside -limit to
    +limit degrees (90 for a latitude, 180 for a longitude); None (not stated) is not out of range."""
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > limit


def on_the_map(lat: object, lon: object) -> bool:
    """Whether a site can be placed at its geoPoint: both coordinates stated and within range (WGS 84)."""
    return (isinstance(lat, int | float) and isinstance(lon, int | float) and not coordinate_out_of_range(lat, 90)
            and not coordinate_out_of_range(lon, 180))


def _whole(count: object) -> int | None:
    """A count stored as a whole number (24, or 24.0 as pandas reads an INTEGER column with gaps), else None."""
    if isinstance(count, bool):
        return None
    if isinstance(count, int):
        return count
    if isinstance(count, float) and count.is_integer():
        return int(count)
    return None


def enrollment_stated(count: object) -> int | None:
    """An enrolment count for display and computing: None when missing, the placeholder, or not a whole
    number (a value the import now refuses, in a database imported before: never truncated or guessed)."""
    return None if count is None or enrollment_placeholder(count) else _whole(count)


PLACEHOLDER_LABEL = f"not stated (registry placeholder {ENROLLMENT_PLACEHOLDER})"


def enrollment_label(count: object, enrollment_type: object, missing: str) -> str:
    """An enrolment as the pages show it: "40 (estimated)"; `missing` when none is stated; for the
    placeholder, `PLACEHOLDER_LABEL` (sorts with the missing values, dashboard/sorting.py); a value that is
    not a whole number (in a database imported before the import refused it) as stored, said so."""
    if count is None or (isinstance(count, float) and count != count):
        return missing
    if enrollment_placeholder(count):
        return PLACEHOLDER_LABEL
    whole = _whole(count)
    if whole is None:  # stored before the import refused it ("24x", 24.5): shown as stored, never int()-ed
        return f"{count} (as stored: not a whole number)"
    return f"{whole}" + (f" ({enrollment_type.lower()})" if isinstance(enrollment_type, str) else "")


def placeholder_note(n: int) -> str:
    """The sentence a page shows when `n` (> 0) trials' enrolment is the placeholder and was left out."""
    trials = "1 trial's enrolment is" if n == 1 else f"{n:,} trials' enrolments are"
    return f"{trials} a registry placeholder ({ENROLLMENT_PLACEHOLDER}), left out."


Flagged = tuple[str, str, Any]  # (path, kind, value as posted)


def store(session: Session, nct: str, flagged: list[Flagged]) -> None:
    """Add a new study's flags `flagged` (path, kind, posted value); every kind must be in `KINDS`. Not
    flushed (an import writes in one flush); a study replaced has its old flags deleted with it (importer)."""
    for path, kind, value in flagged:
        if kind not in KINDS:
            raise KeyError(f"flag kind {kind!r} is not in trialdb.flags.KINDS")
        session.add(Flag(nct_id=nct, path=path, kind=kind, value=None if value is None else str(value)))


def for_study(session: Session, nct: str) -> list[Flagged]:
    """A study's flags as (path, kind, value), in the order stored."""
    rows = session.execute(select(Flag.path, Flag.kind, Flag.value).where(Flag.nct_id == nct).order_by(Flag.id))
    return [(p, k, v) for p, k, v in rows]
