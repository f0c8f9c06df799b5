"""Which trials reported, and which did not: one rule, written once, shown on screen (`RULE`) and applied
here (`reporting_status`).

The rule follows the trackers of trial reporting (the FDAAA TrialsTracker and the EU Trials Tracker, after
FDAAA 801's "not later than 1 year after the primary completion date"), adapted to what a registry record and
PubMed say about a trial:

- **Due date.** The primary completion date (`statusModule.primaryCompletionDateStruct`; the completion date,
  `completionDateStruct`, where it is missing) plus 12 months. A date whose type the source does not state (a
  seed document's) counts as actual, as a past date is. A month-only date ("2019-08") is read as the
  month's last day, as the FDAAA tracker does; a year-only date as the year's last day.
- **Results posted**: the registry's `resultsFirstPostDateStruct`.
- **Results published**: a reference the sponsor entered as a RESULT, or a publication linked to the trial
  automatically (a DERIVED reference, or an article whose PubMed record names the trial in its
  `DataBankList`, which is what `NCTxxxxxxxx[si]` finds) that is not a protocol and was published on or
  after the primary completion date. A protocol: PubMed's publication type "Clinical Trial Protocol", or a
  title naming a protocol or a "rationale and design". Published on or after: the article's electronic date
  (`ArticleDate`) where it has one, else its `PubDate`; a date PubMed gives as a year, a month or a
  `MedlineDate` range counts when the period it names ends on or after the completion date (a date stated
  loosely does not by itself make a trial unreported).
- **Status**, one of `STATUSES`: results posted and published; posted; published; else *completion not stated*
  where the record gives neither date; *not yet due* while the completion date is still anticipated or less than
  12 months have passed since an actual one; else *due, not reported*.

Twelve months is the benchmark of the FDAAA and EU trackers, not a legal judgment: most low-dose IL-2 trials
are academic, many outside the United States, and not all are "applicable clinical trials" under FDAAA.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb.results.models import ResultDetail
from trialdb.store import models as m

NOT_YET_DUE = "not yet due"
POSTED = "results posted"
PUBLISHED = "published"
POSTED_AND_PUBLISHED = "posted and published"
DUE_NOT_REPORTED = "due, not reported"
NO_COMPLETION = "completion not stated"
STATUSES = (POSTED_AND_PUBLISHED, POSTED, PUBLISHED, NOT_YET_DUE, DUE_NOT_REPORTED, NO_COMPLETION)
REPORTED = (POSTED_AND_PUBLISHED, POSTED, PUBLISHED)

RULE = (
    "A trial is **due** 12 months after its primary completion date (the completion date where the record gives "
    "none; a month-only date counts from the month's last day). **Results posted**: the registry shows posted "
    "results. **Published**: a reference the sponsor entered as a result, or an article linked to the trial "
    "automatically (a DERIVED reference, or PubMed naming the trial's NCT id) that is not a protocol and appeared "
    "on or after the primary completion date. **Not yet due**: completion still anticipated, or less than 12 months "
    "ago. Twelve months is the benchmark of the FDAAA and EU trial trackers, not a legal judgment on these mostly "
    "academic trials.")

PROTOCOL_TITLE = re.compile(r"\bprotocols?\b|\brationale and design\b|\bdesign and rationale\b", re.IGNORECASE)
PROTOCOL_TYPE = "Clinical Trial Protocol"
ESTIMATED = ("ANTICIPATED", "ESTIMATED")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_SEASON_END = {"winter": 3, "spring": 6, "summer": 9, "fall": 12, "autumn": 12}


@dataclass(frozen=True)
class Link:
    """One publication of a trial, as far as the rule needs it.

    `link`: how it is tied to the trial: a registry reference type ("RESULT", "DERIVED", "BACKGROUND") or
    "registration" (its PubMed record names the trial). `published`: the last day of the period its date names
    (None: no PubMed record, or no date read). `title` and `types` as PubMed gives them (empty: not fetched)."""

    pmid: str
    link: str
    published: dt.date | None = None
    title: str = ""
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reporting:
    """A trial's reporting status. Dates are `datetime.date`; `days_overdue` counts from the due date to `today`
    (None when not due); `reported_by` the PMIDs that count as its published results."""

    status: str
    primary_completion: dt.date | None
    completion_type: str | None
    due: dt.date | None
    days_overdue: int | None
    results_posted: dt.date | None
    reported_by: tuple[str, ...] = field(default=())


def last_day(text: str | None) -> dt.date | None:
    """The last day a registry date names: "2019-08-14" itself, "2019-08" the 31st, "2019" 31 December; None for
    None or a date it cannot read (never guessed)."""
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 12), m[3]
    if not 1 <= month <= 12:
        return None
    try:
        return dt.date(year, month, int(day) if day else calendar.monthrange(year, month)[1])
    except ValueError:
        return None


def pubmed_period_end(published: str | None, electronic: str | None = None) -> dt.date | None:
    """The last day of the period an article's date names: its electronic date ("YYYY-MM-DD", `ArticleDate`)
    where given, else PubMed's `PubDate` as written: "2019 Aug 5", "2019 Aug", "2019 08", "2019", "2018 Spring",
    or a `MedlineDate` such as "2019 Nov-Dec" or "1998 Dec-1999 Jan" (the end of the range). None when neither
    can be read."""
    if electronic:
        got = last_day(electronic)
        if got:
            return got
    if not published:
        return None
    words = published.replace("-", " - ").split()
    years = [i for i, w in enumerate(words) if re.fullmatch(r"\d{4}", w)]
    if not years:
        return None
    # the end of a range: the words after the last "-" (or all of them), with the year before it if none after
    tail = words[len(words) - 1 - words[::-1].index("-") + 1:] if "-" in words else words
    year = next((int(w) for w in tail if re.fullmatch(r"\d{4}", w)), int(words[years[-1]]))
    month = day = None
    for w in tail:
        lw = w.lower().rstrip(".")
        if lw[:3] in _MONTHS and month is None:
            month = _MONTHS[lw[:3]]
        elif lw in _SEASON_END:
            month = _SEASON_END[lw]
        elif re.fullmatch(r"\d{1,2}", w):
            if month is None:
                month = int(w)
            elif day is None:
                day = int(w)
    if month is None or not 1 <= month <= 12:
        return dt.date(year, 12, 31)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, day if day and 1 <= day <= last else last)


def is_protocol(title: str, types: Iterable[str]) -> bool:
    """A protocol or design paper, not results: PubMed's type "Clinical Trial Protocol", or its title names one."""
    return PROTOCOL_TYPE in set(types) or bool(PROTOCOL_TITLE.search(title or ""))


def add_year(day: dt.date) -> dt.date:
    """12 months later (29 February gives 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def reporting_status(primary_completion: str | None, primary_completion_type: str | None,
                     completion: str | None, completion_type: str | None, results_posted: str | None,
                     links: Iterable[Link], today: dt.date, posted: bool | None = None) -> Reporting:
    """A trial's status under `RULE`. Dates as the registry writes them ("YYYY", "YYYY-MM" or "YYYY-MM-DD");
    types as API v2 writes them ("ACTUAL", "ESTIMATED"; "ANTICIPATED" in older records). `posted`: whether the
    registry shows results (default: whether `results_posted` gives a date; a record may show results without
    the date of their first posting)."""
    if primary_completion:
        end, kind = last_day(primary_completion), primary_completion_type
    else:
        end, kind = last_day(completion), completion_type
    posted_on = last_day(results_posted)
    posted = posted_on is not None if posted is None else posted
    reported = tuple(dict.fromkeys(
        x.pmid for x in links
        if x.link == "RESULT" or (x.link in ("DERIVED", "registration") and end is not None and x.published is not None
                                  and x.published >= end and not is_protocol(x.title, x.types))))
    due = add_year(end) if end is not None and (kind or "").upper() not in ESTIMATED else None
    overdue = (today - due).days if due is not None and today >= due else None
    if posted and reported:
        status = POSTED_AND_PUBLISHED
    elif posted:
        status = POSTED
    elif reported:
        status = PUBLISHED
    elif end is None:
        status = NO_COMPLETION
    elif overdue is None:
        status = NOT_YET_DUE
    else:
        status = DUE_NOT_REPORTED
    return Reporting(status, end, kind, due, overdue, posted_on, reported)


def _period_end(p: m.Publication) -> dt.date | None:
    """The last day of the period a publication's date names: PubMed's dates (`pubmed_period_end`), else the seed
    document's print date or year."""
    return pubmed_period_end(p.published or p.print_date or (str(p.year) if p.year else None), p.epub_date)


def study_links(session: Session, ncts: Collection[str] | None = None) -> dict[str, list[Link]]:
    """{NCT id: its publications as `Link`s}: the PMIDs its registry record lists (with their reference type,
    whether or not the article is stored) and the stored publications that name it as their registration
    (link "registration"). `ncts`: only these studies (None: all)."""
    R, P, PR = m.StudyReference, m.Publication, m.PublicationRegistration
    refs = select(R.nct_id, R.pmid, R.reference_type).where(R.pmid.is_not(None))
    regs = select(PR.nct_id, PR.pmid)
    if ncts is not None:
        refs, regs = refs.where(R.nct_id.in_(ncts)), regs.where(PR.nct_id.in_(ncts))
    pairs: list[tuple[str, str, str]] = [(n, p, (t or "").upper()) for n, p, t in session.execute(refs) if p]
    pairs += [(n, p, "registration") for n, p in session.execute(regs)]
    pmids = {p for _, p, _ in pairs}
    pubs = {p.pmid: p for p in session.scalars(select(P).where(P.pmid.in_(pmids)))} if pmids else {}
    types: dict[str, list[str]] = {}
    if pmids:
        for pmid, name in session.execute(select(m.PublicationType.pmid, m.PublicationType.name)
                                          .where(m.PublicationType.pmid.in_(pmids))
                                          .order_by(m.PublicationType.pmid, m.PublicationType.position)):
            types.setdefault(pmid, []).append(name)
    out: dict[str, list[Link]] = {}
    for nct, pmid, link in pairs:
        pub = pubs.get(pmid)
        out.setdefault(nct, []).append(Link(pmid, link, _period_end(pub) if pub else None,
                                            pub.title if pub else "", tuple(types.get(pmid, ()))))
    return out


def study_reporting(session: Session, today: dt.date,
                    ncts: Collection[str] | None = None) -> dict[str, tuple[Reporting, list[Link]]]:
    """{NCT id: (its status under `RULE` on `today`, its publications)} for every study (or those of `ncts`)."""
    S = m.Study
    stmt = select(S.nct_id, S.primary_completion_date, S.primary_completion_date_type, S.completion_date,
                  S.completion_date_type)
    if ncts is not None:
        stmt = stmt.where(S.nct_id.in_(ncts))
    posted = {nct: day for nct, day in session.execute(select(ResultDetail.nct_id, ResultDetail.results_first_posted_date))}
    links = study_links(session, ncts)
    out = {}
    for nct, pc, pct, c, ct in session.execute(stmt):
        mine = links.get(nct, [])
        out[nct] = (reporting_status(pc, pct, c, ct, posted.get(nct), mine, today, posted=nct in posted), mine)
    return out
