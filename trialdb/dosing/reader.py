"""The regimen reader: each registry study's IL-2 regimens read from the record's own words.

`read_regimens(study)` takes one ClinicalTrials.gov API v2 study dict and returns one `Reading` per (arm,
IL-2 or placebo intervention) pair, plus the other drugs of those arms as role "background" with nothing
read. Arms and interventions are joined by `armGroups[].interventionNames` ("Drug: Aldesleukin", the type
prefix dropped) and `interventions[].armGroupLabels`.

Where the words are read, in order: the arm's label and description, the intervention's name, description
and other names; the study's briefSummary and detailedDescription only when none of those gives a dose or a
schedule. Every fact keeps its verbatim quote and the JSON path (relative to protocolSection) of the string
it was read from.

Wrong is worse than missing (the project's rule): what cannot be read surely is a `NotRead` with its reason
and the words, never a guess. The conventions, with their reasons:
- Durations in days and weeks are read (1 week = 7 days). Durations in months or years are read as calendar
  months, as a person reads them ("for 6 months" is six months; a year is 12): the phase keeps `for_months` as
  written and `for_days` is the days they span at 365.25/12 a month, rounded (schedules.days_in_months: 6 -> 183),
  computed here and said so on the pages, so a calendar can draw them; a month is 28 to 31 days, so the drawn
  calendar is within a day or two of any real one. "for up to 6 months" is read as 6 months (the planned most).
  A total in months over cycles ("every 28 days over 18 months": 548 days, 19 or 20 cycles?) or after a course
  with no period ("for a total of 6 months") leaves the number of cycles unread: the count would be a guess.
- A duration or day range is IL-2's phase only where the words tie it to giving IL-2. One right after words of
  another process, in its clause (the study's follow-up or observation, the weaning, tapering or stopping of another
  treatment, a run-in or washout: "discontinued immunosuppression over a 4-month period while continuing LDIL-2 for a
  total treatment duration of 6 months", "were followed up for 60 days"), or in a sentence about such a process that
  names no giving of IL-2 ("The primary outcome was change in T reg cells ..., from day 1 to day 60"), is that
  process's: taking it for IL-2's would be a wrong length. When IL-2's own length is then missing, the NotRead quotes
  the other process's words.
- A length written before any frequency and a shorter one after the frequency ("received IL-2 ... for 12 weeks. IL-2
  ... every other day for 2 weeks and followed by a 2-week break as one treatment cycle"): the later is the course's
  length, the first the whole treatment; the number of courses is the whole over the cycle (course + rest, or the
  period) when that is a whole number, else left unread.
- Another drug's words are not IL-2's: a parenthesis after a word that is not IL-2's name and holding a dose in
  milligrams ("Vincristine (2 mg IV weekly×3 weeks)") gives no route and no schedule (IL-2 is dosed in IU or µg).
- "N consecutive weeks" is a length like "N consecutive days" ("Each cycle consisted of 4 consecutive weeks": 28
  days); not when it is a rest ("3 consecutive weeks off").
- A course named by its length ("a 5-day course", "five-day courses", "a cure of 5 days", "5-day cycles", "a
  course of 5 daily injections") is given daily for N days: the field's wording for daily injections (DF-IL2,
  MIROCALS, IMODALS, TRANSREG); a frequency written beside it wins ("twice daily for 5 days"), and it is not
  daily where the words say the frequency is set otherwise ("individualized ... frequencies") or for a
  "regimen"/"treatment" of N days. In the plural the number of courses is not stated. "N-day cycle" after "of
  each" is the cycle's length ("days 1-21 of each 28-day cycle"), not the course's. "monthly" with a course of
  stated length is its period, a calendar month (`period_months`; the rest computed here); alone it is an
  ambiguous frequency.
- Day ranges ("from Day-1 to Day-5", "\\[day 1 - day 5\\]", "D1-D5", "days 1-21") give the phase's length, each
  day of the range unless another frequency is written ("on days 1-5" is each day); a second range, or "starting
  on day 15", begins the next phase, the rest between computed from the days. Never beside single days ("D1 :
  ...; D2 to D5 : ..."): then a range is not the whole course.
- Phases are in the order of time, and a phase's interval belongs to its own words: "maintenance" begins a phase,
  "then", "followed by", "thereafter", "and ... thereafter" split, and "once every N weeks" after a course with
  its frequency is a phase of its own ("daily for five days, once every two weeks"), never that course's period.
- "every N weeks" after a course ("daily for 5 days every 4 weeks") is the cycle period: rest = period - course.
- "N consecutive days per week" is every 1 day for N days, rest 7 - N; "for K weeks" then gives K cycles.
- A count per week without a day pattern ("×3 per week", "three times a week", "5 days per week") gives
  `times_per_week` and leaves `every_days` None (no whole-day interval), with a NotRead quoting the words.
- A count per week clears any "daily" beside it ("once daily 6 days a week" is not every day).
- "biweekly", "monthly", "twice daily"/"twice-daily", "every 8 hours", "as needed", "once twice a week" are not
  read as an interval (NotRead). "every 8 wk" is read as "every 8 weeks"; "repeated at 6-week intervals" is a
  cycle period (the number of cycles then not stated).
- French schedule words: "par jour", "/jour", "tous les N jours", "toutes les N semaines", "pendant N jours/
  semaines" (months and years not converted, as above), "puis" (then), "2 fois par jour" (more than once a day).
- A dose per day ("1 MIU/day") means daily only when no other frequency is written, in any of the pair's own
  words ("2.0 MIU IL-2 per day" as the name, "5 days every four weeks" in the description: daily in each course).
  When the pair's words give only "per day" and no course, the study's description is read for the courses, and
  used only when it writes no other frequency (it may describe another arm).
- Several doses for several arms ("0·33 MIU/day, 1 MIU/day, or 3 MIU/day", "0.125, 0.250 or 0.500 MIU/m2"):
  an arm's dose is read only when the arm's own label or description names it; otherwise NotRead.
- Dose escalation ("Dose escalations were scheduled at weeks 2 and 4"): the first dose is read where it is
  one number; later doses are never guessed (flag + NotRead).
- Courses at stated weeks ("at weeks 3, 6, and 9") do not give a rest that is sure (is week 3 day 14 or
  21?): those phases keep `cycles` None, so no calendar is drawn, with a NotRead quoting the words.
- Implausible doses are kept as written and flagged (far below or above the low-dose range), never corrected.
- An amount read beside amounts that cannot be read in the same words ("30 000 U, 100 000 U, 1.0 million U") is
  not taken as the dose (NotRead naming the unreadable one); "increasing doses" is a dose escalation.
- Units: see `trialdb.dosing.units` ("units" is IU; "mIU", ranges and garbled numbers are refused).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from trialdb.dosing.schedules import Phase, days_in_months
from trialdb.dosing.units import DoseMatch, basis, dose_range, find_doses, to_iu

# --- what the reader returns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One fact read: `field` ("dose", "unit", "route", "phases"), its verbatim `quote` (a substring of the
    string at `path`), and `path` relative to protocolSection ("armsInterventionsModule.armGroups[1].description")."""

    field: str
    quote: str
    path: str


@dataclass(frozen=True)
class NotRead:
    """Something not stated or not read surely: `field` ("dose", "route", "phases[0].for_days", ...), the
    `reason` (with the words that make it unsure), and where known the verbatim quote and its path."""

    field: str
    reason: str
    quote: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Reading:
    """One arm's regimen of one drug, read from the registry record (see the module docstring)."""

    arm: str
    drug: str
    role: str
    dose: float | None
    unit: str | None
    unit_as_written: str | None
    route: str | None
    phases: tuple[Phase, ...]
    quote: str
    path: str
    facts: tuple[Fact, ...] = ()
    not_read: tuple[NotRead, ...] = ()
    flags: tuple[str, ...] = ()


def reading_to_json(r: Reading) -> dict[str, Any]:
    """A JSON-able dict of a Reading (keys = field names; phases as dicts; facts and not_read as dicts)."""
    d = asdict(r)
    d["phases"] = [{k: v for k, v in p.items() if v is not None or k in ("every_days", "for_days", "cycles")}
                   for p in d["phases"]]
    return d


def reading_from_json(d: dict[str, Any]) -> Reading:
    """The Reading `reading_to_json` wrote. Raises KeyError/TypeError/ValueError for a malformed dict."""
    return Reading(
        arm=d["arm"], drug=d["drug"], role=d["role"], dose=d["dose"], unit=d["unit"],
        unit_as_written=d["unit_as_written"], route=d["route"],
        phases=tuple(Phase(**{"every_days": None, "for_days": None, **p}) for p in d["phases"]),
        quote=d["quote"], path=d["path"],
        facts=tuple(Fact(**f) for f in d.get("facts", [])),
        not_read=tuple(NotRead(**n) for n in d.get("not_read", [])),
        flags=tuple(d.get("flags", [])))


# --- names ----------------------------------------------------------------------------------------------------

IL2_NAME = re.compile(
    r"aldesleukin|proleukin|teceleukin|interleukine?[\s-]*2(?!\d)|(?<![A-Za-z])(?:rh|hr|r|ld-?|LD-?)?IL[\s-]?2(?![\d])",
    re.I)
# Not low-dose IL-2 itself (the portfolio classifier decides these trials; their dosing is not IL-2's)
NOT_IL2 = re.compile(r"receptor|\banti-|antibod|mab\b|diftitox|\bPEG|pegylated|mutein|fusion|IL-?2R|IL-?2/", re.I)
PLACEBO = re.compile(r"placebo|dummy", re.I)


def _is_il2(*names: str) -> bool:
    return any(IL2_NAME.search(n) and not NOT_IL2.search(n) for n in names if n)


# --- schedules ------------------------------------------------------------------------------------------------

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "twenty": 20, "a": 1, "an": 1, "single": 1,
          "once": 1, "twice": 2, "thrice": 3}
N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|twenty)"
_SEP = r"[\s-]*"


def _n(text: str) -> int:
    t = text.lower()
    return int(t) if t.isdigit() else _WORDS[t]


# Checked in this order; each is (kind, pattern). Spans already taken are not matched again.
_EVENTS: list[tuple[str, re.Pattern[str]]] = [(k, re.compile(p, re.I)) for k, p in [
    ("subdaily", r"\b(?:twice|three[\s-]+times|2[\s-]+times|3[\s-]+times)[\s-]+(?:a|per)[\s-]+day\b|\btwice[\s-]+daily\b"
                 r"|\btwice\s*/\s*day\b|\bat\s+\d+[\s-]*(?:h|hrs?|hours?)\s+intervals?\b"
                 r"|\bcontinuous(?:ly)?\s+(?:\w+\s+){0,2}infusions?\b|\bgiven\s+continuously\b"
                 r"|\bb\.?i\.?d\b|\b(?:deux|trois|2|3)\s+fois\s+par\s+jour\b"
                 r"|\bevery\s+\d+\s+hours?\b|\bq\s?\d+\s?h\b|\b(?:\d+|eight|twelve)[\s-]+hourly\b"),
    ("ambiguous", r"\bbi-?weekly\b|\bbi-?monthly\b|\bsemi-?monthly\b"
                  r"|\bonce\s+(?:or\s+|to\s+)?twice\b|\bas\s+needed\b|\bp\.?r\.?n\b|\bapproximately\s+every\b|\babout\s+every\b"),
    ("monthly", rf"\bmonthly\b|\bevery\s+(?:(?P<n>{N})\s+)?months?\b|\bonce\s+a\s+month\b|\beach\s+month\b"),
    ("startday", r"\b(?:starting|beginning)\s+(?:on\s+|from\s+)?(?:day|D)[\s-]*(?P<a>\d{1,3})(?!\d|[.,]\d)"),
    ("dayrange", r"(?<![\w-])(?:from\s+)?(?:on\s+)?(?:days?|D(?=[\s-]*\d))[\s-]*(?P<a>\d{1,3})\s*(?:-|–|to|through|until)\s*"
                 r"(?:(?:days?|D)[\s-]*)?(?P<b>\d{1,3})(?!\d|[.,]\d)"),
    ("atweeks", rf"\b(?:at|during|in)\s+(?:the\s+)?(?:weeks?|months?)\s+{N}(?:\s*(?:,\s*and|,|and|&)\s*{N})+"
                rf"|\bat\s+(?:the\s+)?\d+(?:st|nd|rd|th)(?:\s*(?:,\s*and|,|and|&)\s*\d+(?:st|nd|rd|th))+\s+weeks?\b"),
    ("cycleword", r"\b(?:as\s+one|one|each|per|every|another|this)\s+(?:treatment\s+)?(?:cycle|course)\b"
                  r"|\b(?:subsequent|following|later|further)\s+(?:treatment\s+)?(?:cycles|courses)\b"),
    ("daypattern", rf"\b(?:on\s+)?(?P<n>{N})\s+consecutive\s+days?\s+(?:per|a|each|every)\s+week\b"),
    ("perweek", rf"(?:[×x]\s*(?P<n1>\d)\s*(?:per|a|/)\s*week\b|\b(?P<n2>{N}|twice|thrice)[\s-]+(?:times[\s-]+)?"
                rf"(?:(?:per|a|each)\s+week|weekly)\b|\b(?P<n3>{N})\s+days?\s*(?:(?:per|a|each)\s+|/\s*)week\b"
                rf"|\b(?P<n4>\d)\s*[×x]\s*(?:weekly|(?:per|a|/)\s*week)\b)"),
    ("rest", rf"(?:(?:followed\s+by|with|after)\s+(?:an?\s+)?)?(?P<n>{N}){_SEP}(?P<u>days?|weeks?|wks?){_SEP}"
             rf"(?:treatment\s+|drug\s+|therapy\s+)?['‘’\"“”]?(?:hiatus|break|rest|pause|interruption|washout|off|drug[\s-]free)"
             rf"|\b(?:rest|break|hiatus|pause)\s+(?:period\s+)?(?:of\s+)?(?P<n2>{N}){_SEP}(?P<u2>days?|weeks?)"
             rf"|\b(?P<n3>{N}){_SEP}(?P<u3>days?|weeks?)\s+of\s+(?:rest|break|pause|no\s+treatment)\b"),
    ("cycles", rf"\b(?:for\s+|total\s+of\s+|repeated\s+)?(?P<n>{N})\s+(?:(?P<len>\d+){_SEP}days?{_SEP})?(?:treatment\s+)?"
               rf"(?:cycles|courses)\b|\brepeated\s+(?P<n2>{N})\s+times\b|\b(?P<n3>{N})\s+times\s+in\s+total\b"),
    # a course named by its length: "a 5-day course", "five-day courses", "a cure of 5 days", "5-day cycles"
    ("course", rf"\b(?:an?\s+)?(?P<n3>{N}){_SEP}(?P<u3>day|week)s?{_SEP}(?P<c3>courses?|cycles?|cures?|treatments?|periods?"
               rf"|regimens?)\b"
               rf"|\b(?P<c4>courses?|cures?|cycles?|regimens?)\s+of\s+(?P<n4>{N})\s+(?:(?P<daily4>daily\s+(?:injections?|"
               rf"doses?|administrations?))|days?)\b"
               rf"|\b(?P<n6>{N})\s+days?\s+of\s+(?P<c6>treatment|therapy)\b"),
    ("period", rf"\bevery\s+(?P<n>{N}|other|second)\s+(?P<u>days?|weeks?|wks?)\b"
               rf"|\btou(?:s|tes)\s+les\s+(?P<nf>{N})\s+(?P<uf>jours|semaines)\b"
               rf"|\b(?:repeated\s+)?at\s+(?P<ni>{N}){_SEP}(?P<ui>days?|weeks?|wks?){_SEP}intervals?\b"
               rf"|(?P<pd>(?<=[A-Za-z²0-9])\s*/\s*(?:day|d|jour|j)\b)"
               rf"|\b(?P<w>tous\s+les\s+jours|chaque\s+jour|une\s+fois\s+par\s+(?:jour|semaine)|par\s+jour"
               rf"|weekly(?!\s+(?:dos(?:e|es|age|ages)|totals?|amounts?))|fortnightly|daily|once\s+(?:a|per)\s+(?:day|week)|every\s+day|each\s+day|once\s+daily"
               rf"|once\s+weekly|per\s+day|qod|q\.o\.d\.?|qd|q\.d\.?|alternate\s+days|every\s+(?:other|second)\s+week"
               rf"|(?:\d+|one|a)\s+dose\s+per\s+(?:day|week))\b"),
    ("duration", rf"\b(?:for|during|over|lasting)\s+(?:up\s+to\s+)?(?:a\s+(?:period|duration|total(?:\s+treatment)?(?:\s+duration)?)\s+of\s+"
                 rf"|a\s+|the\s+first\s+)?"
                 rf"(?P<n>{N}){_SEP}(?:consecutive\s+)?(?P<u>days?|weeks?|wks?|months?|years?)(?:{_SEP}(?:course|period|cycle))?\b"
                 rf"|\bpendant\s+(?P<nf>{N})\s+(?P<uf>jours?|semaines?|mois|ans?|années?)\b"
                 rf"|\b(?:on\s+)?(?P<n2>{N})\s+consecutive\s+(?P<u2>days|weeks)\b(?!\s+(?:of\s+)?(?:rest|break|pause|off)\b)"
                 rf"|\b(?P<n5>{N})\s+days(?=\s+every\s+(?:{N}\s+)?weeks?\b)"
),
]]

_LONE_DAY = re.compile(r"(?<![\w-])(?:days?|D)[\s-]*\d{1,3}(?!\d|[.,]\d)", re.I)
_SPLIT = re.compile(r"(?:,|;)?\s*\b(?:and\s+then|then|followed\s+by|thereafter|subsequently|after\s+which|puis)\b"
                    r"|\b(?=(?:maintenance|consolidation)\b)"  # "Induction ...; maintenance ...": a phase of its own
                    r"|(?:,|;)?\s*\band\b(?=[^.;]{0,80}?\bthereafter\b)", re.I)  # "... and every 2 weeks thereafter"
# Words naming a process other than giving IL-2: the follow-up, observation or measurement of the study, the weaning
# or stopping of another treatment, a run-in or washout. A duration or day range right after them (in the same clause,
# a few words on) is that process's, never IL-2's phase ("discontinued immunosuppression over a 4-month period",
# "were followed up for 60 days"); a sentence about them that names no giving of IL-2 gives IL-2 no phase ("The
# primary outcome was change in T reg cells ..., from day 1 to day 60").
_OTHER_PROCESS = re.compile(r"\bfollow(?:ed|ing)?[\s-]*up\b|\bobserv\w*|\bmonitor\w*|\bwean\w*|\btaper\w*|\bdiscontinu\w*"
                            r"|\bwithdr[ae]w\w*|\brun[\s-]*in\b|\bwash[\s-]*out\b|\bscreening\b|\boutcomes?\b"
                            r"|\bend[\s-]*points?\b|\bmeasured\b|\bassessed\b|\bevaluated\b", re.I)
_GIVING = re.compile(r"administ\w*|inject\w*|infus\w*|receiv\w*|\bgiven\b|\bgive\b|\bdos(?:e|es|ing)\b|\btreat\w*"
                     r"|\btherapy\b|\bcourses?\b|\bcycles?\b", re.I)


_PAREN_AFTER_NAME = re.compile(r"(?P<name>[A-Za-z][\w-]{3,})\s*\((?P<inner>[^()]*)\)")


@functools.lru_cache(maxsize=4096)
def _other_drug_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The parentheses after a word that is not IL-2's name and that hold a dose in milligrams ("Vincristine (2 mg IV
    weekly×3 weeks)"): another drug's dose, route and schedule. IL-2 is dosed in IU (or µg), never in mg alone."""
    return tuple((m.start("inner"), m.end("inner")) for m in _PAREN_AFTER_NAME.finditer(text)
                 if not IL2_NAME.search(m.group("name")) and not PLACEBO.search(m.group("name"))
                 and any(d.unit is not None and d.unit.startswith("mg") for d in find_doses(m.group("inner"))))


def _other_process(text: str, lo: int, at: int) -> str | None:
    """The words naming another process (see _OTHER_PROCESS) that the duration or day range at text[at:] belongs
    to, or None when nothing ties it to another process."""
    clause = max([lo] + [lo + m.end() for m in re.finditer(r"[.;:,()]|\bwhile\b|\bbut\b", text[lo:at])])
    near = " ".join(text[clause:at].split()[-5:])  # the few words right before it, in its own clause
    m = _OTHER_PROCESS.search(near)
    if m:
        return m.group()
    begin = max([lo] + [lo + m.end() for m in re.finditer(r"[.;](?=\s)", text[lo:at])])
    end = next((at + m.start() + 1 for m in re.finditer(r"[.;](?=\s|$)", text[at:])), len(text))
    sentence = text[begin:end]
    m = _OTHER_PROCESS.search(sentence)
    if m and not IL2_NAME.search(sentence) and not _GIVING.search(sentence):
        return m.group()
    return None


_ESCALATION = re.compile(r"\bdose[\s-]+escalat\w*|\bescalat\w+\s+(?:dose|to)\b|\btitrat\w+|\bincreased?\s+to\b"
                         r"|\bincreasing\s+doses?\b|\b(?:reduced|decreased|lowered)\s+(?:from|to)\b", re.I)


@dataclass
class _Event:
    kind: str
    start: int
    end: int
    m: re.Match[str]


def _events(text: str, lo: int, hi: int) -> list[_Event]:
    taken: list[tuple[int, int]] = list(_other_drug_spans(text))  # another drug's words are not IL-2's schedule
    out: list[_Event] = []
    for kind, pat in _EVENTS:
        for m in pat.finditer(text, lo, hi):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append(_Event(kind, m.start(), m.end(), m))
    return sorted(out, key=lambda e: e.start)


_FRENCH_UNITS = {"jour": "days", "semaine": "weeks", "mois": "months", "an": "years", "année": "years"}


def _unit_en(unit: str) -> str:
    """The English unit word of a duration unit as written ("semaines" -> "weeks", "wk" -> "weeks")."""
    u = unit.lower()
    if u.startswith("wk"):
        return "weeks"
    return next((en for fr, en in _FRENCH_UNITS.items() if u.rstrip("s") == fr), u)


def _days(n: int, unit: str) -> int | None:
    u = _unit_en(unit)
    return n if u.startswith("day") else n * 7 if u.startswith("week") else None


@dataclass
class _PhaseDraft:
    every_days: int | None = None
    times_per_week: int | None = None
    for_days: int | None = None
    rest_days: int = 0
    cycles: int | None = 1
    period: int | None = None
    cycles_said: bool = False
    freq_seen: bool = False
    cycle_word: tuple[str, int, int] | None = None
    course: bool = False  # the dosing period is a course named by its length in days ("a 5-day course")
    courses: bool = False  # ... in the plural ("five-day courses"): how many is not said there
    for_months: int | None = None
    period_months: int | None = None
    monthly: tuple[int, _Event] | None = None  # "monthly", "every 3 months": a cycle period or a frequency?
    day_range: tuple[int, int] | None = None  # "from day 1 to day 5": its first and last day, as written
    from_pd: bool = False  # its frequency is only a dose's "/day" ("0.7 million U/day was then given twice a week")
    months: tuple[int, _Event] | None = None  # "for 6 months", "over 18 months", "1 year" (12): calendar months
    len_first: bool = False  # its length was written before any frequency ("treated for 12 weeks ... every other day")
    whole: int | None = None  # ... and a course's own length after the frequency: the first is the whole treatment
    other: tuple[str, str, _Event] | None = None  # a duration of another process (its words, the process's, the event)


@dataclass
class _Schedule:
    phases: list[Phase] = field(default_factory=list)
    not_read: list[NotRead] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where each phase's words begin


def read_schedule(text: str, path: str, per_day_hint: bool = False, lo: int = 0, hi: int | None = None) -> _Schedule:
    """Phases read from text[lo:hi] (see the module docstring's conventions). Pure; never raises."""
    hi = len(text) if hi is None else hi
    esc = _ESCALATION.search(text, lo, hi)
    if esc:  # what follows a dose escalation is not read as the schedule (later doses and their timing)
        hi = esc.start()
    out = _Schedule()
    cuts = [lo] + [m.start() for m in _SPLIT.finditer(text, lo, hi)] + [hi]
    drafts: list[_PhaseDraft] = []
    weak: list[tuple[int, int]] = []

    def nr(fieldname: str, reason: str, ev: _Event) -> None:
        out.not_read.append(NotRead(fieldname, reason, text[ev.start:ev.end], path))

    # single days named beside day ranges ("D1 : 2.5 MUI/m2; D2 to D5 : 5 MUI/m2", "on days 1 and 2, and ... on days
    # 3-5"): then a range is not the whole course, and no range is read
    @functools.cache
    def lone_day() -> str | None:  # asked only of a text with a day range
        ranged = [(m.start(), m.end()) for k, pat in _EVENTS if k in ("dayrange", "startday")
                  for m in pat.finditer(text, lo, hi)]
        return next((m.group() for m in _LONE_DAY.finditer(text, lo, hi)
                     if not any(a <= m.start() < b for a, b in ranged)), None)

    for a, b in itertools.pairwise(cuts):
        evs = _events(text, a, b)
        if not evs:
            continue
        kinds = [e.kind for e in evs]
        starts_phase = any(k in ("period", "perweek", "daypattern", "subdaily", "ambiguous", "monthly") for k in kinds)
        if starts_phase or not drafts:
            drafts.append(_PhaseDraft())
            out.starts.append(a)
        d = drafts[-1]
        i = len(drafts) - 1

        def next_phase(at: int) -> _PhaseDraft:
            """A phase begins inside these words ("... days 1-5. Starting on day 15, every 15 days ...")."""
            drafts.append(_PhaseDraft())
            out.starts.append(at)
            return drafts[-1]

        for ev in evs:
            g = ev.m.groupdict()
            if (ev.kind == "period" and g.get("pd")
                    and re.search(r"[<>≤≥][^,;()]{0,45}$", text[max(lo, ev.start - 46):ev.start])):
                continue  # the "/day" of a bound ("≤1 MIU/day", "<6 MIU/day"): a limit, not how often a dose is given
            if ev.kind in ("duration", "dayrange"):
                process = _other_process(text, lo, ev.start)
                if process is not None:  # "discontinued immunosuppression over a 4-month period": not IL-2's phase
                    d.other = d.other or (text[ev.start:ev.end], process, ev)
                    continue
            if ev.kind == "dayrange":
                first, last = int(g["a"]), int(g["b"])
                if last < first:
                    continue
                if lone_day() is not None:
                    nr(f"phases[{i}].for_days", f"'{text[ev.start:ev.end]}' beside a single day ('{lone_day()}'): the "
                       "course's days are not sure", ev)
                    continue
                if d.day_range is not None:  # a second range: a phase of its own, starting where it says
                    d = next_phase(ev.start)
                    i = len(drafts) - 1
                if i > 0:  # "day 1 to day 5 ... (then every other day) from day 15 to day 180": the rest between
                    prev = drafts[i - 1]
                    if prev.day_range is not None and first > prev.day_range[1] and not prev.rest_days:
                        prev.rest_days = first - prev.day_range[1] - 1
                d.day_range = (first, last)
                d.course = True  # "on days 1-5": each day of the range, unless another frequency is written
                if d.for_days is None or d.for_days == last - first + 1:
                    d.for_days = last - first + 1
                else:
                    nr(f"phases[{i}].for_days", f"'{text[ev.start:ev.end]}' beside another duration", ev)
                    d.for_days = None
                out.spans.append((ev.start, ev.end))
                continue
            if ev.kind == "startday":
                day = int(g["a"])
                out.spans.append((ev.start, ev.end))
                if day <= 1 or (d.for_days is None and d.every_days is None and not d.freq_seen):
                    continue  # "beginning on day 1": where the first phase starts, not a phase of its own
                prev = d
                d = next_phase(ev.start)
                i = len(drafts) - 1
                if prev.day_range is not None and day > prev.day_range[1]:
                    prev.rest_days = day - prev.day_range[1] - 1  # "(days 1-5. Starting on day 15"
                else:
                    nr(f"phases[{i - 1}].rest_days", f"'{text[ev.start:ev.end]}': the days before it are not given as "
                       "days, so the rest is not sure", ev)
                    prev.cycles, prev.cycles_said = None, True
                continue
            if (ev.kind == "period" and not g.get("pd") and not g.get("ni") and d.for_days is not None
                    and (d.every_days is not None or d.freq_seen)
                    and re.search(r"\bonce\s*$", text[max(lo, ev.start - 12):ev.start], re.I)):
                # "daily for five days, once every two weeks": "once every ..." is how often a dose is given, a
                # phase of its own, never the cycle period of the phase before it
                d = next_phase(ev.start)
                i = len(drafts) - 1
            # "/day" after a dose is part of the dose's words: the schedule's quote starts there only alone
            (weak if ev.kind == "period" and g.get("pd") else out.spans).append((ev.start, ev.end))
            words = text[ev.start:ev.end]
            if ev.kind == "subdaily":
                d.freq_seen, d.every_days = True, None
                nr(f"phases[{i}].every_days", f"more than once a day: '{words}' (not a whole-day interval)", ev)
            elif ev.kind == "ambiguous":
                d.freq_seen = True
                nr(f"phases[{i}].every_days", f"ambiguous frequency: '{words}'", ev)
            elif ev.kind == "atweeks":
                d.cycles = None
                d.cycles_said = True
                nr(f"phases[{i}].rest_days", f"courses at stated weeks: '{words}' (week N may be day 7(N-1) or "
                   "7N; the rest between courses is not sure)", ev)
            elif ev.kind == "daypattern":
                n = _n(g["n"])
                if 1 <= n <= 7:
                    d.freq_seen = True
                    d.every_days, d.for_days, d.rest_days, d.period = 1, n, 7 - n, 7
            elif ev.kind == "perweek":
                raw = g["n1"] or g["n2"] or g["n3"] or g["n4"]
                n = _n(raw)
                d.freq_seen, d.every_days = True, None  # "once daily 6 days a week": not every day
                if 1 <= n <= 7:
                    d.times_per_week = n
                nr(f"phases[{i}].every_days", f"ambiguous frequency: '{words}' (a count per week, no whole-day "
                   "interval)", ev)
            elif ev.kind == "rest":
                nw, u = (g["n"], g["u"]) if g["n"] else (g["n2"], g["u2"]) if g["n2"] else (g["n3"], g["u3"])
                days = _days(_n(nw), u)
                if days is not None:
                    d.rest_days = days
            elif ev.kind == "cycles":
                nw = g["n"] or g["n2"] or g["n3"]
                d.cycles, d.cycles_said = _n(nw), True
                if g.get("len") and d.for_days is None:
                    d.for_days = int(g["len"])
            elif ev.kind == "cycleword":
                d.cycle_word = (text[ev.start:ev.end], ev.start, ev.end)
            elif ev.kind == "period":
                if g["ni"]:  # "repeated at 6-week intervals": the cycle period, not the interval between doses
                    every_i = _days(_n(g["ni"]), g["ui"])
                    if d.period is None and every_i is not None and (d.for_days is None or every_i > d.for_days):
                        d.period = every_i
                    elif d.period != every_i:
                        nr(f"phases[{i}].cycles", f"'{words}' beside another cycle period", ev)
                        d.cycles, d.cycles_said = None, True
                    continue
                if g["w"]:
                    w = g["w"].lower()
                    every = (7 if ("week" in w or "semaine" in w) and "other" not in w and "second" not in w else
                             14 if "fortnight" in w or "other week" in w or "second week" in w else
                             2 if w.startswith(("qod", "q.o.d", "alternate")) else 1)
                elif g["pd"]:  # "1.5 million IU/d", "1 MUI/jour"
                    every = 1
                    d.from_pd = d.every_days is None and not d.freq_seen
                elif g["nf"]:  # "tous les 15 jours", "toutes les 2 semaines"
                    every = _n(g["nf"]) * (1 if g["uf"].lower().startswith("jour") else 7)
                else:
                    nw = g["n"].lower()
                    k = 2 if nw in ("other", "second") else _n(nw)
                    every = k if g["u"].lower().startswith("day") else 7 * k
                if d.every_days is None and not d.freq_seen and d.for_days is not None and every > d.for_days:
                    d.period = every  # "5 days every four weeks": the cycle period; the frequency is not stated
                elif d.every_days is None and not d.freq_seen:
                    d.every_days, d.freq_seen = every, True
                elif d.every_days == every or (d.period is not None and d.period == every):
                    pass
                elif (d.every_days is not None or d.freq_seen) and d.for_days is not None and every > d.for_days:
                    d.period = every  # "daily for 5 days every 4 weeks", "twice-daily ... for 5 days every 8 wk"
                elif d.every_days is not None and d.for_days is None and every > 7 and d.period is None:
                    d.period = every  # "once a day for five days every 4 weeks": course length may come later
                else:
                    nr(f"phases[{i}].every_days", f"ambiguous frequency: '{words}' beside another frequency", ev)
                    d.every_days = None
            elif ev.kind == "monthly":
                d.monthly = (_n(g["n"]) if g["n"] else 1, ev)
            elif ev.kind == "course":  # a course named by its length: "a 5-day course", "a cure of 5 days"
                n = _n(g["n4"] or g["n3"] or g["n6"])
                word = (g["c4"] or g["c3"] or g["c6"]).lower()
                in_days = bool(g["n4"] or g["n6"]) or g["u3"].lower().startswith("day")
                days = n if in_days else n * 7
                per_cycle = bool(re.search(r"\b(?:each|every|per|of)\s+(?:an?\s+)?$",
                                           text[max(lo, ev.start - 12):ev.start], re.I))
                if (d.for_days is not None and days > d.for_days) or (per_cycle and word.startswith("cycle")):
                    d.period = days  # "days 1-21 of each 28-day cycle": the cycle's length, not the course's
                elif d.for_days is None:
                    d.for_days = days
                    # not where the words say the frequency is set otherwise ("individualized doses and frequencies")
                    d.course = (in_days and not word.startswith(("treatment", "period", "regimen"))
                                and not re.search(r"frequenc", text[lo:hi], re.I))
                    d.courses = word.endswith("s") and not word.endswith("ss")
                    if g["daily4"]:
                        d.every_days, d.freq_seen = 1, True
            elif ev.kind == "duration":
                if g["n"]:
                    n, u = _n(g["n"]), g["u"]
                elif g["n2"] or g["n5"]:  # "5 consecutive days", "4 consecutive weeks", "5 days every four weeks"
                    n, u = _n(g["n2"] or g["n5"]), g["u2"] or "days"
                else:  # "pendant 5 jours"
                    n, u = _n(g["nf"]), _unit_en(g["uf"])
                u = _unit_en(u)
                days = _days(n, u)
                total = bool(re.match(r"over|during", words, re.I)) and d.period is not None
                if days is None:  # months or years: decided once the phase's other words are read (below)
                    if d.months is None:
                        d.months = (n if u.lower().startswith("month") else 12 * n, ev)
                elif d.for_days is None and not total:
                    d.for_days = days
                    d.len_first = d.every_days is None and not d.freq_seen
                elif (d.len_first and d.whole is None and d.period is None and d.for_days is not None
                      and days < d.for_days and (d.every_days is not None or d.freq_seen)):
                    # "received IL-2 ... for 12 weeks. IL-2 ... every other day for 2 weeks and followed by a 2-week
                    # break as one treatment cycle": the length written before the frequency is the whole treatment,
                    # the one after it the course's (how many courses the whole holds is computed below)
                    d.whole, d.for_days, d.len_first = d.for_days, days, False
                elif d.period is not None and not d.cycles_said:
                    # "5 consecutive days per week for 4 weeks", "... every 4 weeks over 12 weeks": the whole course
                    if days % d.period == 0:
                        d.cycles, d.cycles_said = days // d.period, True
                    else:
                        d.cycles, d.cycles_said = None, True
                        nr(f"phases[{i}].cycles", f"'{words}' is not a whole number of cycles", ev)
    if not out.spans:
        out.spans = weak
    if not drafts and per_day_hint:  # "1 MUI/jour" and nothing else: a daily dose, duration not stated
        hint = re.compile(r"(?:/\s*(?:day|d|jour|j)\b|\bper\s+day\b|\ba\s+day\b|\bpar\s+jour\b)", re.I).search(text, lo, hi)
        if hint:
            drafts.append(_PhaseDraft())
            out.starts.append(lo)
            out.spans.append((hint.start(), hint.end()))
    if len(drafts) > 1:
        keep = [k for k, d in enumerate(drafts) if not (d.from_pd and d.for_days is None and d.period is None
                                                        and not d.rest_days and not d.cycles_said)]
        if keep and len(keep) < len(drafts):
            drafts = [drafts[k] for k in keep]
            out.starts = [out.starts[k] for k in keep]
    for i, d in enumerate(drafts):
        if d.every_days is None and d.times_per_week is None and not d.freq_seen and (
                (per_day_hint and i == 0) or d.course):
            d.every_days = 1  # a dose per day, or a course named by its length in days: given daily
        if d.months is not None:
            mo, mev = d.months
            words = text[mev.start:mev.end]
            if d.for_days is None and d.period is None and d.monthly is None:
                # "every other day for 6 months": the dosing period in calendar months, its days computed here
                d.for_days, d.for_months = days_in_months(mo), mo
            elif d.monthly is not None and d.for_days is not None and mo % d.monthly[0] == 0 and not d.cycles_said:
                d.cycles, d.cycles_said = mo // d.monthly[0], True  # "one cycle each month during 12 months"
            elif d.for_days is not None and not d.cycles_said:
                # "treated for 3 months (5 days every four weeks ...)", "5 days every 28 days over 18 months": the
                # whole treatment, in months; how many courses it holds is not a whole number of days apart
                d.cycles, d.cycles_said = None, True
                period = f" {d.period}-day" if d.period else ""
                nr(f"phases[{i}].cycles", f"duration in months: '{words}' (about {days_in_months(mo)} days, computed "
                   f"here) is not a whole number of{period} courses", mev)
        if d.whole is not None and not d.cycles_said:
            cycle = d.period or (d.for_days + d.rest_days if d.for_days is not None and d.rest_days else None)
            if cycle and d.whole % cycle == 0:
                d.cycles, d.cycles_said = d.whole // cycle, True
            else:
                d.cycles, d.cycles_said = None, True
                out.not_read.append(NotRead(f"phases[{i}].cycles", f"the whole treatment ({d.whole} days) is not a "
                                            "whole number of courses as read", None, None))
        if d.other is not None and d.for_days is None:
            words, process, oev = d.other
            nr(f"phases[{i}].for_days", f"'{words}' is the {process.lower()}'s, not IL-2's (the duration of IL-2 is "
               "not stated)", oev)
        if d.courses and not d.cycles_said:
            d.cycles, d.cycles_said = None, True
            out.not_read.append(NotRead(f"phases[{i}].cycles", "number of courses not stated", None, None))
        if d.monthly is not None:
            k, mev = d.monthly
            words = text[mev.start:mev.end]
            if d.for_days is not None and d.for_months is None and d.period is None:
                # "monthly five-day courses": a course every calendar month, the rest computed here
                d.period_months = k
                d.rest_days = max(days_in_months(k) - d.for_days, 0)
                if not d.cycles_said:
                    d.cycles, d.cycles_said = None, True
                    out.not_read.append(NotRead(f"phases[{i}].cycles", "number of cycles not stated", None, None))
            else:
                d.every_days = None
                d.freq_seen = True
                nr(f"phases[{i}].every_days", f"ambiguous frequency: '{words}' (a month is 28 to 31 days; read only "
                   "as the period of a course of stated length)", mev)
        rest = d.rest_days
        if d.cycle_word and not d.cycles_said:
            d.cycles = None
            out.not_read.append(NotRead(f"phases[{i}].cycles", f"number of cycles not stated ('{d.cycle_word[0]}')",
                                        d.cycle_word[0], path))
        if d.period is not None:
            if d.for_days is not None and d.period > d.for_days:
                rest = d.period - d.for_days
                if not d.cycles_said:
                    d.cycles = None
                    out.not_read.append(NotRead(f"phases[{i}].cycles", "number of cycles not stated", None, None))
            elif d.for_days is None:
                out.not_read.append(NotRead(f"phases[{i}].for_days", "length of each course not stated", None, None))
        if d.for_days is None and not any(n.field == f"phases[{i}].for_days" for n in out.not_read):
            out.not_read.append(NotRead(f"phases[{i}].for_days", "duration not stated", None, None))
        if d.every_days is None and d.times_per_week is None and not any(
                n.field == f"phases[{i}].every_days" for n in out.not_read):
            out.not_read.append(NotRead(f"phases[{i}].every_days", "frequency not stated", None, None))
        if d.every_days is not None and d.for_days is not None and d.every_days > d.for_days and d.cycles == 1:
            pass  # a single administration in the period ("every 2 weeks for 1 week"): kept as written
        try:
            out.phases.append(Phase(every_days=d.every_days, for_days=d.for_days, rest_days=rest, cycles=d.cycles,
                                    times_per_week=d.times_per_week, for_months=d.for_months,
                                    period_months=d.period_months))
        except ValueError:
            out.not_read.append(NotRead(f"phases[{i}]", "impossible schedule as read", None, None))
    if not out.spans or not any(p.every_days or p.for_days or p.times_per_week for p in out.phases):
        out.phases = []
        out.starts = []
    return out


# --- routes ---------------------------------------------------------------------------------------------------

_ROUTES: list[tuple[str, re.Pattern[str]]] = [
    ("subcutaneous", re.compile(r"(?<![A-Za-z])[sS]\.\s?[cC]\.|(?<![A-Za-z])SC(?![A-Za-z])|(?<![A-Za-z.])sc(?![A-Za-z])|\bSQ\b"
                                r"|\bs/c\b|皮下")),
    ("subcutaneous", re.compile(r"sub-?cutaneous(?:ly)?|under\s+the\s+skin|\bsubq\b", re.I)),
    ("intravenous", re.compile(r"(?<![A-Za-z])i\.v\.|(?<![A-Za-z])IV(?![A-Za-z])|静脉")),
    ("intravenous", re.compile(r"intravenous(?:ly)?", re.I)),
    ("intramuscular", re.compile(r"(?<![A-Za-z])i\.m\.|(?<![A-Za-z])IM(?![A-Za-z])")),
    ("intramuscular", re.compile(r"intramuscular(?:ly)?", re.I)),
    ("intradermal", re.compile(r"intradermal(?:ly)?", re.I)),
    ("oral", re.compile(r"\borally\b|\bby\s+mouth\b|\boral\s+(?:capsules?|tablets?|solution|administration)", re.I)),
]


def _routes(text: str) -> list[tuple[str, int, int]]:
    """The routes named in text (name, start, end), in order; not those inside another drug's parenthesis."""
    found: list[tuple[str, int, int]] = [("", s, e) for s, e in _other_drug_spans(text)]
    for name, pat in _ROUTES:
        for m in pat.finditer(text):
            if not any(m.start() < e and s < m.end() for _, s, e in found):
                found.append((name, m.start(), m.end()))
    return sorted((f for f in found if f[0]), key=lambda x: x[1])


# --- the reader -----------------------------------------------------------------------------------------------

AIM = "armsInterventionsModule"


def _strip_type(name: str) -> str:
    return re.sub(r"^\s*(?:drug|biological|other|procedure|device|dietary supplement|combination product|"
                  r"genetic|radiation|behavioral|diagnostic test)\s*:\s*", "", name, flags=re.I).strip()


def _texts(arm_i: int, arm: dict, iv_j: int | None, iv: dict | None) -> list[tuple[str, str, str]]:
    """(kind, path, text) for the pair, in reading order."""
    out = []
    if isinstance(arm.get("label"), str):
        out.append(("arm", f"{AIM}.armGroups[{arm_i}].label", arm["label"]))
    if isinstance(arm.get("description"), str):
        out.append(("arm", f"{AIM}.armGroups[{arm_i}].description", arm["description"]))
    if iv is not None:
        if isinstance(iv.get("name"), str):
            out.append(("iv", f"{AIM}.interventions[{iv_j}].name", iv["name"]))
        if isinstance(iv.get("description"), str):
            out.append(("iv", f"{AIM}.interventions[{iv_j}].description", iv["description"]))
        for k, o in enumerate(iv.get("otherNames") or []):
            if isinstance(o, str):
                out.append(("iv", f"{AIM}.interventions[{iv_j}].otherNames[{k}]", o))
    return out


def _scope(text: str, others: list[str]) -> tuple[int, int]:
    """The part of an arm text about IL-2 when other drugs of the arm are named in it: from the first IL-2
    mention to the first sentence naming another drug after it (the whole text otherwise)."""
    if not others or not any(o and re.search(re.escape(o), text, re.I) for o in others):
        return 0, len(text)
    m = IL2_NAME.search(text)
    if not m:
        return 0, 0
    end = len(text)
    for o in others:
        for om in re.finditer(re.escape(o), text[m.end():], re.I):
            cut = text.rfind(".", m.end(), m.end() + om.start())
            end = min(end, cut + 1 if cut >= 0 else m.end() + om.start())
            break
    start = text.rfind(".", 0, m.start()) + 1
    return start, max(end, m.end())


def _iu_doses(text: str, lo: int, hi: int) -> list[DoseMatch]:
    """The amounts in IU (read or refused) of text[lo:hi]. An amount in mass units on the same basis is its
    equivalent ("0.037 mg/kg (600,000 IU/kg)"); beside one on another basis ("300 micrograms/m2, approximately
    equivalent to ... 38 x 10(6) U per day") no IU amount is read: which is the dose is not sure."""
    found = [d for d in find_doses(text[:hi]) if d.start >= lo]
    iu = [d for d in found if d.unit is None or "IU" in d.unit]
    mass = [d for d in found if d.unit is not None and "IU" not in d.unit]
    if mass and any(d.unit is not None and basis(d.unit) != basis(mass[0].unit or "") for d in iu):
        first = min(iu + mass, key=lambda d: d.start)
        return [replace(first, value=None, unit=None, options=(), problem=f"an amount in mass units beside one in IU "
                        f"('{mass[0].text}', '{next(d for d in iu).text}'): which is the dose is not sure")]
    return iu


def _plausibility(dose: float, unit: str) -> list[str]:
    where = dose_range(dose, unit)  # trialdb.dosing.units.DOSE_RANGES, with their sources
    if where == "below":
        return ["dose far below the low-dose range (kept as written)"]
    if where == "high":
        return ["dose in the high-dose range (kept as written)"]
    return []


def _in_unit(d: DoseMatch, unit: str) -> float | None:
    """The value of a read amount in another IU unit of the same basis (3 "million IU" in "IU": 3,000,000)."""
    if d.value is None or d.unit is None:
        return None
    iu, per = to_iu(d.value, d.unit), to_iu(1.0, unit)
    return None if iu is None or not per else round(iu / per, 9)


def _same(a: DoseMatch, b: DoseMatch) -> bool:
    if a.value is None or b.value is None or a.unit is None or b.unit is None:
        return False
    ia, ib = to_iu(a.value, a.unit), to_iu(b.value, b.unit)
    return basis(a.unit) == basis(b.unit) and ia is not None and ib is not None and abs(ia - ib) < 1e-6 * max(ia, ib)


def _read_pair(study_texts: list[tuple[str, str, str]], texts: list[tuple[str, str, str]], others: list[str],
               role: str, arm_label: str, drug: str) -> Reading:
    facts: list[Fact] = []
    not_read: list[NotRead] = []
    flags: list[str] = []
    dose: float | None = None
    unit = unit_as_written = route = None
    phases: tuple[Phase, ...] = ()
    main: tuple[str, int, int] | None = None  # path, start, end
    by_path = {p: t for _, p, t in texts + study_texts}

    def readable(src: list[tuple[str, str, str]]) -> list[tuple[str, str, str, int, int]]:
        out = []
        for kind, path, text in src:
            lo, hi = _scope(text, others) if kind == "arm" or kind == "study" else (0, len(text))
            if hi > lo:
                out.append((kind, path, text, lo, hi))
        return out

    srcs = readable(texts)
    doses = {path: _iu_doses(text, lo, hi) for _, path, text, lo, hi in srcs}
    # a dose written per day anywhere in the pair's own words ("2.0 MIU IL-2 per day" as the intervention's name)
    # makes a course whose frequency is not written daily ("5 days every four weeks" in the arm's description)
    per_day = any(d.per_day for ds in doses.values() for d in ds)
    scheds = {path: read_schedule(text, path, per_day, lo, hi) for _, path, text, lo, hi in srcs}
    daily_only = [Phase(1, None)]
    if (study_texts and any(s.phases == daily_only for s in scheds.values())
            and all(not s.phases or s.phases == daily_only for s in scheds.values())):
        # the pair's words give a dose per day and no more of a schedule ("2.0 MIU IL-2 per day"): the study's
        # description may say more ("5 days every four weeks repeated three times"), read with the dose's "per day";
        # never where it writes another frequency (it may be another arm's)
        for _, path, text, lo, hi in readable(study_texts):
            more = read_schedule(text, path, True, lo, hi)
            if more.phases and more.phases[0].every_days == 1 and more.phases != daily_only:
                scheds[path] = more
    if not any(doses.values()) and not any(s.phases for s in scheds.values()) and study_texts:
        # the study's description is read too (the arm's and intervention's own words still name the route)
        srcs = srcs + readable(study_texts)
        doses = {path: _iu_doses(text, lo, hi) for _, path, text, lo, hi in srcs}
        per_day = any(d.per_day for ds in doses.values() for d in ds)
        scheds = {path: read_schedule(text, path, per_day, lo, hi) for _, path, text, lo, hi in srcs}

    # -- dose (active only)
    if role == "active":
        arm_paths = [p for k, p, *_ in srcs if k == "arm"]
        own: list[tuple[str, DoseMatch]] = []
        phase_doses: dict[str, dict[int, float | None]] = {}
        listed: tuple[str, DoseMatch] | None = None
        refused: tuple[str, DoseMatch] | None = None
        for _, path, text, lo, hi in srcs:
            ds = doses[path]
            esc = _ESCALATION.search(text, lo, hi)
            if esc:
                change = "dose reduction" if re.match(r"reduc|decreas|lower", esc.group(), re.I) else "dose escalation"
                flags.append(f"{change}: later doses not read")
                not_read.append(NotRead("phases.dose", f"{change}: '{esc.group()}' (later doses not guessed)",
                                        text[esc.start():esc.end()], path))
                ds = [d for d in ds if d.start < esc.start()]
            good = [d for d in ds if d.problem is None]
            for d in ds:
                if d.options and listed is None:
                    listed = (path, d)
                elif d.problem and not d.options and refused is None:
                    refused = (path, d)
            bad = [d for d in ds if d.problem and not d.options]
            if good and bad:  # "(30 000 U, 100 000 U, 1.0 million U)": a readable amount among unreadable ones
                span = text[min(x.start for x in ds):max(x.end for x in ds)]
                not_read.append(NotRead("dose", f"other amounts in the same words could not be read "
                                                f"({bad[0].problem}); none is taken as the dose", span, path))
                good = []
            if good and not any(d.options for d in ds):
                distinct: list[DoseMatch] = []
                for d in good:
                    if not any(_same(d, e) for e in distinct):
                        distinct.append(d)
                st = scheds[path].starts
                bounds = [*st[1:], len(text)]
                in_phase = [next((k for k, b in enumerate(bounds) if x.start < b), -1) for x in distinct]
                if len(distinct) == 1:
                    own.append((path, distinct[0]))
                elif (len(st) > 1 and in_phase == sorted(set(in_phase)) and in_phase[0] == 0
                      and all(x.unit is not None and basis(x.unit) == basis(distinct[0].unit or "")
                              and to_iu(1.0, x.unit) is not None for x in distinct)):
                    own.append((path, distinct[0]))  # one dose per phase, in order ("then 3 MIU/day ...")
                    # a later phase's dose in the first's unit ("1,500,000 IU/day ... followed by 3 × 106 IU per day")
                    first_unit = distinct[0].unit or ""
                    phase_doses[path] = dict(zip(in_phase[1:], [
                        _in_unit(x, first_unit) for x in distinct[1:]], strict=True))
                else:
                    listed = listed or (path, DoseMatch(distinct[0].start, distinct[-1].end,
                                                        text[distinct[0].start:distinct[-1].end], None,
                                                        distinct[0].unit, None, False, "several doses", tuple(
                                                            x.value for x in distinct if x.value is not None)))
        arm_own = [(p, d) for p, d in own if p in arm_paths]
        chosen = arm_own[0] if arm_own else (own[0] if own and listed is None else None)
        if chosen is None and own and listed is not None:
            # a dose in the intervention's name beside a list elsewhere: the name is the drug's own
            names = [(p, d) for p, d in own if p.endswith(".name")]
            chosen = names[0] if names else None
        conflicting = [d for p, d in (arm_own or own) if chosen and not _same(d, chosen[1])]
        if chosen and conflicting and chosen[0] in arm_paths:
            conflicting = [d for p, d in arm_own if not _same(d, chosen[1])]
        if chosen and conflicting:
            not_read.append(NotRead("dose", f"conflicting doses: '{chosen[1].text}' and '{conflicting[0].text}'",
                                    chosen[1].text, chosen[0]))
            chosen = None
        if chosen:
            path, d = chosen
            assert d.value is not None and d.unit is not None
            dose, unit, unit_as_written = d.value, d.unit, d.unit_as_written
            facts.append(Fact("dose", d.text, path))
            facts.append(Fact("unit", d.text, path))
            flags.extend(_plausibility(d.value, d.unit))
            main = (path, d.start, d.end)
            later = phase_doses.get(path, {})
            if later and path in scheds:
                ph = scheds[path].phases
                scheds[path].phases = [replace(p, dose=later.get(k)) if later.get(k) != d.value else p
                                       for k, p in enumerate(ph)]
        elif listed is not None and not any(n.field == "dose" for n in not_read):
            path, d = listed
            not_read.append(NotRead("dose", f"several doses listed ({d.text}) and the arm does not name its own",
                                    d.text, path))
        elif refused is not None and not any(n.field == "dose" for n in not_read):
            path, d = refused
            not_read.append(NotRead("dose", d.problem or "not read", d.text, path))
        elif not any(n.field == "dose" for n in not_read):
            not_read.append(NotRead("dose", "dose not stated"))

    # -- schedule: the arm's description first, then the intervention's, then labels and names
    order = sorted(scheds, key=lambda p: (not p.endswith("description") and not p.startswith("description"),
                                          ".interventions[" in p))
    for path in order:
        s = scheds[path]
        if s.phases:
            phases = tuple(s.phases)
            lo = min(a for a, _ in s.spans)
            hi = max(b for _, b in s.spans)
            facts.append(Fact("phases", by_path[path][lo:hi], path))
            not_read.extend(s.not_read)
            if main is None or main[0] == path:
                main = (path, min(lo, main[1]) if main else lo, max(hi, main[2]) if main else hi)
            break
    else:
        extra = [n for s in scheds.values() for n in s.not_read if n.quote]
        not_read.extend(extra[:1])
        not_read.append(NotRead("phases", "schedule not stated"))

    # -- route: every route named in the pair's texts must agree
    named: list[tuple[str, str, int, int]] = []
    for _, path, text, lo, hi in srcs:
        named += [(r, path, s, e) for r, s, e in _routes(text[:hi]) if s >= lo]
    kinds = sorted({r for r, *_ in named})
    if len(kinds) == 1:
        route = kinds[0]
        _r, rpath, rs, re_ = named[0]
        facts.append(Fact("route", by_path[rpath][rs:re_], rpath))
    elif len(kinds) > 1:
        _r, rpath, rs, re_ = named[0]
        not_read.append(NotRead("route", f"several routes named: {', '.join(kinds)}", by_path[rpath][rs:re_], rpath))
    else:
        not_read.append(NotRead("route", "route not stated"))

    if main is None:
        _kind, path, text = texts[0] if role != "background" else next(
            (t for t in texts if ".interventions[" in t[1]), texts[0])
        main = (path, 0, len(text))
    path, lo, hi = main
    return Reading(arm=arm_label, drug=drug, role=role, dose=dose, unit=unit, unit_as_written=unit_as_written,
                   route=route, phases=phases, quote=by_path[path][lo:hi], path=path, facts=tuple(facts),
                   not_read=tuple(not_read), flags=tuple(dict.fromkeys(flags)))


def read_regimens(study: dict) -> list[Reading]:
    """One Reading per (arm, IL-2 or placebo intervention) of an API v2 study dict, and the arm's other drugs
    as role "background" (nothing read). [] when no intervention is IL-2 or the record has no arms.
    Pure; never raises on text (a malformed record gives [])."""
    try:
        return _read_regimens(study)
    except (AttributeError, TypeError, KeyError, IndexError):
        return []


def _read_regimens(study: dict) -> list[Reading]:
    ps = study.get("protocolSection") or {}
    aim = ps.get(AIM) or {}
    arms = [a for a in aim.get("armGroups") or [] if isinstance(a, dict)]
    ivs = [iv for iv in aim.get("interventions") or [] if isinstance(iv, dict)]
    if not arms or not ivs:
        return []

    def role_of(iv: dict) -> str:
        names = [iv.get("name") or "", *[o for o in iv.get("otherNames") or [] if isinstance(o, str)]]
        if PLACEBO.search(iv.get("name") or ""):
            return "placebo"
        return "active" if _is_il2(*names) else "background"

    roles = [role_of(iv) for iv in ivs]
    if "active" not in roles:
        return []
    dm = ps.get("descriptionModule") or {}
    study_texts = [("study", f"descriptionModule.{k}", dm[k]) for k in ("briefSummary", "detailedDescription")
                   if isinstance(dm.get(k), str)]
    out: list[Reading] = []
    for i, arm in enumerate(aim.get("armGroups") or []):
        if not isinstance(arm, dict) or not isinstance(arm.get("label"), str):
            continue
        label = arm["label"]
        linked_names = {_strip_type(n).lower() for n in arm.get("interventionNames") or [] if isinstance(n, str)}
        linked = [j for j, iv in enumerate(aim.get("interventions") or []) if isinstance(iv, dict) and (
            (iv.get("name") or "").strip().lower() in linked_names or label in (iv.get("armGroupLabels") or []))]
        if not any(roles[ivs.index(aim["interventions"][j])] in ("active", "placebo") for j in linked):
            continue
        others = [aim["interventions"][j].get("name") or "" for j in linked
                  if roles[ivs.index(aim["interventions"][j])] == "background"]
        for j in linked:
            iv = aim["interventions"][j]
            role = roles[ivs.index(iv)]
            texts = _texts(i, arm, j, iv)
            if role == "background":
                ivt = [t for t in texts if ".interventions[" in t[1]]
                name_path = f"{AIM}.interventions[{j}].name"
                out.append(Reading(label, iv.get("name") or "", "background", None, None, None, None, (),
                                   iv.get("name") or "", name_path if ivt else texts[0][1],
                                   not_read=(NotRead("regimen", "background drug: not read"),)))
                continue
            r = _read_pair(study_texts, texts, others, role, label, iv.get("name") or "")
            if role == "placebo" and not r.phases:
                r = _share_active_schedule(r, study, i, arm)
            out.append(r)
    return out


def _share_active_schedule(r: Reading, study: dict, arm_i: int, arm: dict) -> Reading:
    """A placebo given "IL-2 ... or placebo" shares the schedule written for the active drug."""
    aim = study["protocolSection"][AIM]
    for j, iv in enumerate(aim.get("interventions") or []):
        desc = iv.get("description") if isinstance(iv, dict) else None
        if not (isinstance(desc, str) and PLACEBO.search(desc) and _is_il2(iv.get("name") or "")):
            continue
        path = f"{AIM}.interventions[{j}].description"
        s = read_schedule(desc, path, any(d.per_day for d in find_doses(desc)))
        if s.phases:
            lo, hi = min(a for a, _ in s.spans), max(b for _, b in s.spans)
            routes = {x for x, _, _ in _routes(desc)}
            facts = [*r.facts, Fact("phases", desc[lo:hi], path)]
            nr = [n for n in r.not_read if not n.field.startswith("phases")
                  and not (n.field == "route" and len(routes) == 1)]
            route = r.route
            if route is None and len(routes) == 1:
                route = routes.pop()
                x = _routes(desc)[0]
                facts.append(Fact("route", desc[x[1]:x[2]], path))
            return Reading(r.arm, r.drug, r.role, None, None, None, route, tuple(s.phases), desc[lo:hi], path,
                           tuple(facts), tuple(nr + s.not_read), (*r.flags, "schedule shared with the active drug "
                                                                             "('or placebo')"))
    return r
