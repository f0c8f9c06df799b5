"""What each trial gives, and the portfolio: the one reviewed table of the drug names and wordings that say
which kind of IL-2 intervention a registry study gives, the classifier that applies it to an API v2 study
dict, and the reviewed per-trial decisions of seed_data/portfolio.toml that override it.

Why: the registry's InterventionSearch area covers titles, descriptions and MeSH terms, so a query for "IL-2"
in immune-mediated disease also returns anti-IL-2-receptor antibodies, IL-2 fusion toxins, engineered IL-2,
regulatory T-cell products and trials that only measure IL-2. The portfolio is the low-dose IL-2 trials;
the others stay listed with their category, reason and quote (issue 20).

How a study is read (`classify`):

1. Units. Each intervention (its `name` and `otherNames` are *names*, its `description` is *text*) and each
   arm group (its `label` is a name, its `description` text) is one unit. `WORDINGS` is matched against every
   string of every unit; a row whose `scope` is "name" counts only in names. An intervention whose `type` is
   not a drug (DIAGNOSTIC_TEST, PROCEDURE, DEVICE, BEHAVIORAL, RADIATION) gives nothing: IL-2 named there is
   measured, not given.
2. A unit's category, when several of its rows match: fusion-toxin, then engineered, then receptor-antibody,
   then low-dose (recombinant IL-2 given), then cell-therapy (`UNIT_PRECEDENCE`). So "efavaleukin alfa, an
   IL-2 mutein" is engineered although "IL-2" is in it; basiliximab "against the IL-2 receptor" is a receptor
   antibody; a Treg product "followed by low-dose IL-2" gives IL-2 and is low-dose, while a Treg product
   "expanded in the laboratory ... plus IL-2" (IL-2 used in manufacture, no dose given to anyone) stays
   cell therapy: generic "IL-2" counts as given only as a name or with a dose in IU beside it.
3. The study's category (`STUDY_PRECEDENCE`): recombinant IL-2 given in any unit makes the study an IL-2 study
   whatever else it gives (basiliximab as GVHD prophylaxis beside aldesleukin, Tregs with low-dose IL-2, a
   mutein compared with aldesleukin: each has a low-dose IL-2 arm); then engineered, fusion-toxin,
   receptor-antibody, cell-therapy.
4. Low or high dose, for a study that gives recombinant IL-2. First, where the regimen reader read an active IL-2
   dose (`classify`'s `readings`), a dose in the high-dose range of trialdb.dosing.units.DOSE_RANGES (600,000 to
   720,000 IU/kg every 8 hours is the high dose of cancer immunotherapy; low-dose IL-2 is up to about 3 million IU
   a day; the table cites its sources) makes the study high-dose, with that dose's words as the reason, whatever
   the words say ("low-dose" beside "600,000 IU/kg"). Otherwise from its IL-2 units' words: high-dose wording
   ("high-dose IL-2", "600,000 IU/kg", "every 8 hours") and no low-dose wording -> high-dose; otherwise
   low-dose. When neither is written the dose is unknown: in a study whose conditions are cancers it is
   taken as high-dose and left out (oncology IL-2 is high-dose, and wrong is worse than missing: a left-out
   trial is listed with its reason, a wrongly included one distorts every page); elsewhere it is taken as
   low-dose by the portfolio's condition scope (immune-mediated disease, where IL-2 is given at low dose),
   and the reason says so.
5. Only when no unit decides, the study's own description breaks the tie (titles, `briefSummary`,
   `detailedDescription`), by the rows that count in text: named agents, "low-dose IL-2", IL-2 with a dose
   in IU. A bare "IL-2" there is background and decides nothing ("IL-2 is a cytokine"), and high-dose words
   there decide the dose only when no low-dose words stand beside them.
6. Nothing given: "not-given". With the measuring words ("serum IL-2 levels", "IL-2 production", IL-2 in a
   list of cytokines, an outcome measure) as its quote where the record has them; else with no quote and
   the reason "does not name IL-2 or an IL-2 drug as an intervention".

Every decision keeps the verbatim words that decided it (`quote`, a substring of the string at `path`, the
path relative to protocolSection as the importer's provenance writes it) and a reason a researcher reads.
A reviewed decision (seed_data/portfolio.toml, `[[decision]]`) wins over the classifier (`decide`); the
seed trials stay in (`seed_decision`). `included == (category == "low-dose")` except where a reviewed
decision says otherwise.

Sources of the names (INN and code names): WHO INN lists; NCI Drug Dictionary (denileukin diftitox:
DAB389IL-2, Ontak); the sponsors' registry records (efavaleukin alfa AMG 592, rezpegaldesleukin LY3471851 /
NKTR-358, bempegaldesleukin NKTR-214, CC-92252, MK-6194); Proleukin label (high dose 600,000 IU/kg every
8 hours). Real registry wordings for each row are in tests/test_portfolio.py with their sources.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trialdb.dosing.reader import Reading
from trialdb.dosing.units import dose_range
from trialdb.errors import SourceError
from trialdb.portfolio import prefilter
from trialdb.registry.client import NCT_ID

CATEGORIES: dict[str, str] = {
    "low-dose": "Low-dose IL-2",
    "high-dose": "High-dose IL-2",
    "engineered": "Engineered IL-2",
    "receptor-antibody": "IL-2 receptor antibody",
    "fusion-toxin": "IL-2 fusion toxin",
    "cell-therapy": "Cell therapy without IL-2 given",
    "not-given": "IL-2 not given",
}
SOURCES = ("classifier", "reviewed", "seed")


@dataclass(frozen=True)
class Wording:
    """One row of the reviewed table: words (a case-insensitive regular expression) that, found in a study,
    say what it gives. `kind` is a CATEGORIES key, or "high-dose-words" / "low-dose-words" (how much
    recombinant IL-2: read only beside a recombinant IL-2 unit), or "measured" (IL-2 measured, not given).
    `scope` "name": counts only in intervention names, other names and arm labels; "any": in text too.
    `reason`: the sentence a researcher reads (where it was found is added)."""

    kind: str
    pattern: str
    reason: str
    scope: str = "any"


_IL2 = r"(?:IL|interleukin|interleukine)[- ]?2\b"  # "IL-2", "IL2", "interleukin-2", "Interleukin 2"
# "IL-2" that names the molecule, not its receptor, a modified form or a measurement.
_NOT_DRUG = (r"(?!\s*(?:receptor|R\b|Rα|Ra\b|mutein|variant|fusion|[-/ ]?Fc\b|complex|/\s*anti|diphtheria|levels?"
             r"|production|secretion|concentrations?|expression|signal|pathway|-?producing|mRNA|gene|sensitivity"
             r"|response|induced|dependent|antibod))")
_DOSE_UNIT = (r"(?:MIU|MUI|M\s?IU|million\s+(?:IU|international\s+units|units|U)|(?:×|x|\*)\s*10\s*\\?\^?\s*[46]\s*"
              r"(?:IU|U|international)|WIU|万|IU|international\s+units)(?!\s*/\s*m[lL]\b)")
_NUM = r"(?:\d[\d.,·]*|half\s+a?|one|two|three)"

WORDINGS: tuple[Wording, ...] = (
    # --- IL-2 fusion toxins: IL-2 fused to diphtheria toxin, kills IL-2-receptor-bearing cells.
    Wording("fusion-toxin", r"\bdenileukin(?:\s+diftitox)?(?:[- ]cxdl)?\b",
            "Names denileukin diftitox, an IL-2–diphtheria toxin fusion protein that kills cells bearing the "
            "IL-2 receptor: an IL-2 fusion toxin, not IL-2 therapy"),
    Wording("fusion-toxin", r"\bDAB\s?(?:\(?(?:389|486)\)?)?[- /]?(?:IL|interleukin)[- ]?2\b",
            "Names DAB389IL-2 (denileukin diftitox), an IL-2–diphtheria toxin fusion protein: an IL-2 fusion "
            "toxin, not IL-2 therapy"),
    Wording("fusion-toxin", r"\b(?:E7777|Ontak|Lymphir)\b",
            "Names a denileukin diftitox product (E7777, Ontak, Lymphir), an IL-2–diphtheria toxin fusion "
            "protein: an IL-2 fusion toxin, not IL-2 therapy"),
    Wording("fusion-toxin", r"\b(?:IL|interleukin)[- ]?2[- ]diphtheria\s+toxin|diphtheria\s+toxin[- ](?:IL|interleukin)"
            r"[- ]?2\b|diphtheria\s+toxin\s+(?:fused|linked|conjugated)\s+to\s+(?:human\s+)?(?:IL|interleukin)[- ]?2\b"
            r"|(?:IL|interleukin)[- ]?2\b[^.;]{0,60}?\b(?:fused|linked|conjugated)\s+(?:to|with)\s+(?:the\s+)?diphtheria\s+toxin",
            "Describes IL-2 joined to diphtheria toxin: an IL-2 fusion toxin, not IL-2 therapy"),
    # --- Engineered IL-2: muteins, PEGylated IL-2, IL-2 fused to Fc or antibodies, IL-2/antibody complexes.
    Wording("engineered", r"\befavaleukin(?:\s+alfa)?\b|\bAMG[- ]?592\b",
            "Names efavaleukin alfa (AMG 592), an IL-2 mutein Fc fusion protein: engineered IL-2"),
    Wording("engineered", r"\brezpegaldesleukin\b|\bLY[- ]?3471851\b|\bNKTR[- ]?358\b",
            "Names rezpegaldesleukin (LY3471851, NKTR-358), a PEGylated IL-2 conjugate: engineered IL-2"),
    Wording("engineered", r"\bbempegaldesleukin\b|\bNKTR[- ]?214\b",
            "Names bempegaldesleukin (NKTR-214), a PEGylated IL-2 prodrug: engineered IL-2"),
    Wording("engineered", r"\bnemvaleukin(?:\s+alfa)?\b|\bALKS[- ]?4230\b",
            "Names nemvaleukin alfa (ALKS 4230), an engineered IL-2 fusion protein: engineered IL-2"),
    Wording("engineered", r"\bCC[- ]?92252\b", "Names CC-92252, an IL-2 mutein: engineered IL-2"),
    Wording("engineered", r"\bMK[- ]?6194\b", "Names MK-6194, an IL-2 mutein: engineered IL-2"),
    Wording("engineered", r"\bPT[- ]?101\b(?=[^.;]{0,80}\b(?:IL|interleukin)[- ]?2|[^.;]{0,80}mutein)",
            "Names PT101, an IL-2 mutein Fc fusion: engineered IL-2"),
    Wording("engineered", r"\bmuteins?\b", "Describes an IL-2 mutein (a mutated IL-2 protein): engineered IL-2"),
    Wording("engineered", r"\b(?:IL|interleukin)[- ]?2\s+(?:variants?|analogu?e|agonist\s+(?:fusion|conjugate))\b",
            "Describes an IL-2 variant: engineered IL-2"),
    Wording("engineered", r"\bPEG(?:ylated)?[- ](?:IL|interleukin|aldesleukin)|\bpegylated\s+(?:human\s+)?"
            r"(?:recombinant\s+)?(?:IL|interleukin)[- ]?2\b",
            "Describes PEGylated IL-2: engineered IL-2"),
    Wording("engineered", r"\b(?:IL|interleukin)[- ]?2[- /]?Fc\b|\bFc[- ](?:IL|interleukin)[- ]?2\b|\b(?:IL|interleukin)"
            r"[- ]?2\s+(?:Fc\s+)?fusion\s+protein|\bimmunocytokine\b|\bL19[- ]?IL[- ]?2\b|\bdarleukin\b",
            "Describes IL-2 fused to an Fc or an antibody: engineered IL-2"),
    Wording("engineered", r"\b(?:IL|interleukin)[- ]?2\s*/\s*anti[- ](?:IL|interleukin)[- ]?2\b|\b(?:IL|interleukin)"
            r"[- ]?2[- ](?:antibody\s+|mAb\s+)?complex(?:es)?\b",
            "Describes an IL-2/anti-IL-2 antibody complex: engineered IL-2"),
    # --- Antibodies against the IL-2 receptor (CD25): block IL-2, the opposite of giving it.
    Wording("receptor-antibody", r"\bbasiliximab\b|\bSimulect\b",
            "Names basiliximab, a monoclonal antibody against the IL-2 receptor α chain (CD25): an IL-2 receptor "
            "antibody, which blocks IL-2"),
    Wording("receptor-antibody", r"\bdaclizumab\b|\bZenapax\b|\bZinbryta\b",
            "Names daclizumab, a monoclonal antibody against the IL-2 receptor α chain (CD25): an IL-2 receptor "
            "antibody, which blocks IL-2"),
    Wording("receptor-antibody", r"\binolimomab\b|\bLeukotac\b",
            "Names inolimomab, a monoclonal antibody against the IL-2 receptor α chain: an IL-2 receptor "
            "antibody, which blocks IL-2"),
    Wording("receptor-antibody", r"\bantibod(?:y|ies)\s+(?:directed\s+)?(?:against|to|targeting)\s+(?:the\s+)?"
            r"(?:alpha\s+|α\s+)?(?:chain\s+of\s+the\s+)?(?:IL|interleukin)[- ]?2\s*(?:\([^)]{0,12}\)\s*)?(?:receptor|R)\b",
            "Describes a monoclonal antibody against the IL-2 receptor: an IL-2 receptor antibody"),
    Wording("receptor-antibody", r"\banti[- ](?:CD25|Tac)\b|\banti[- ](?:IL|interleukin)[- ]?2\s*(?:receptor|R(?:α|a)?)\b"
            r"|\b(?:IL|interleukin)[- ]?2\s*(?:receptor|R)\s+(?:antagonists?|blockers?|blockade|antibod(?:y|ies))\b"
            r"|\bIL[- ]?2[- ]?RAs?\b(?![- ]?gene)",
            "Describes an anti-IL-2-receptor (anti-CD25) antibody: an IL-2 receptor antibody"),
    # --- Recombinant IL-2 given (low or high dose decided after).
    Wording("low-dose", r"\baldesleukin\b", "Gives aldesleukin (recombinant human IL-2)"),
    Wording("low-dose", r"\bproleukin\b", "Gives Proleukin (aldesleukin, recombinant human IL-2)"),
    Wording("low-dose", r"\b(?:rh|hr|r|h)[- ]?IL[- ]?2\b" + _NOT_DRUG, "Gives recombinant human IL-2 (rhIL-2)"),
    Wording("low-dose", r"\brecombinant\s+(?:human\s+)?(?:IL|interleukin)[- ]?2\b" + _NOT_DRUG,
            "Gives recombinant human interleukin-2"),
    Wording("low-dose", r"\b(?:(?:ultra|very)[- ])?low[- ]dos(?:es|e|ed|age)\s+(?:of\s+)?(?:recombinant\s+)?(?:human\s+)?"
            + _IL2 + _NOT_DRUG, "Gives low-dose IL-2"),
    Wording("low-dose", r"\b(?:ULD|LD)[- ]?IL[- ]?2\b" + _NOT_DRUG, "Gives low-dose IL-2 (ld-IL-2)"),
    Wording("low-dose", _IL2 + _NOT_DRUG, "Gives IL-2, named as an intervention", scope="name"),
    Wording("low-dose", _IL2 + _NOT_DRUG + r"[^.;\n]{0,40}?" + _NUM + r"\s*" + _DOSE_UNIT,
            "Gives IL-2 at a dose in international units"),
    Wording("low-dose", _NUM + r"\s*" + _DOSE_UNIT + r"\s*(?:/\s*(?:m\\?\^?2|m²|day|d|kg)\s*)?(?:\(\w+\)\s*)?"
            r"(?:of\s+)?(?:human\s+)?(?:recombinant\s+)?" + _IL2 + _NOT_DRUG,
            "Gives IL-2 at a dose in international units"),
    # --- Regulatory T-cell products (cell therapy). A Treg named as the intervention, or product words.
    Wording("cell-therapy", r"\b(?:CAR[- ]?)?T[- ]?regs?\b|\bregulatory\s+T[- ]?(?:cells?|lymphocytes?)\b",
            "Gives a regulatory T-cell product (cell therapy)", scope="name"),
    Wording("cell-therapy", r"\bCAR[- ]?T[- ]?regs?\b|\b(?:ex[- ]vivo|in[- ]vitro)[- ]expanded\s+(?:\w+\s+){0,4}?(?:T[- ]?regs?"
            r"|regulatory\s+T[- ]?cells?)\b|\b(?:T[- ]?reg|regulatory\s+T[- ]?cell)\s+(?:cell\s+)?(?:infusions?|products?"
            r"|adoptive|transfer|therapy|immunotherapy)\b|\b(?:infusion|adoptive\s+transfer)\s+of\s+(?:\w+\s+){0,4}?"
            r"(?:T[- ]?regs?|regulatory\s+T[- ]?cells?)\b",
            "Gives a regulatory T-cell product (cell therapy)"),
    # --- How much recombinant IL-2: read only beside a unit that gives it.
    Wording("high-dose-words", r"\bhigh[- ]dose\s+(?:of\s+)?(?:recombinant\s+)?(?:human\s+)?(?:IL|interleukin|aldesleukin"
            r"|proleukin|rIL)[- ]?2?\b|\bHD[- ]?IL[- ]?2\b",
            "high-dose wording"),
    Wording("high-dose-words", r"\b(?:600|720)[,. ]?000\s*(?:IU|international\s+units|U)\s*/\s*kg\b",
            "the high dose of the Proleukin label (600,000–720,000 IU/kg)"),
    Wording("high-dose-words", r"\bevery\s+8\s+hours\b|\bq8h\b|\bevery\s+eight\s+hours\b",
            "the high-dose schedule (every 8 hours)"),
    Wording("low-dose-words", r"\b(?:(?:ultra|very)[- ])?low[- ]dos(?:es|e|ed|age)\b|\bULD\b|\bLD[- ]?IL|\bMIU\b|\bMUI\b"
            r"|\bmillion\s+(?:IU|international\s+units|units)\b|\bWIU\b|万",
            "low-dose wording"),
    # --- IL-2 measured, not given.
    Wording("measured", r"\b(?:serum|plasma|blood|circulating|intracellular)\s+(?:levels?\s+of\s+)?(?:IL|interleukin)"
            r"[- ]?2\b(?!\s*(?:receptor|R\b))",
            "IL-2 is measured (serum or plasma IL-2), not given"),
    Wording("measured", _IL2 + r"\s*(?:levels?|production|secretion|concentrations?|expression|mRNA|-?producing)\b",
            "IL-2 is measured (its levels or production), not given"),
    Wording("measured", r"\b(?:production|secretion|levels?|expression|concentrations?)\s+of\s+" + _IL2,
            "IL-2 is measured (its levels or production), not given"),
    Wording("measured", r"\b(?:IL|interleukin)[- ]?\d+\s*(?:\([^)]*\))?\s*,\s*" + _IL2 + r"|" + _IL2
            + r"\s*(?:\([^)]*\))?\s*(?:,|and|/)\s*(?:IL|interleukin)[- ]?\d+\b",
            "IL-2 is one of several cytokines measured, not given"),
)
# Each wording with its compiled pattern and the strings a text must hold for it to match (trialdb.portfolio.prefilter):
# a substring test first, the search only where it can match. The same hits, in a fraction of the time.
_COMPILED = tuple((w, re.compile(w.pattern, re.IGNORECASE), prefilter.needles(w.pattern)) for w in WORDINGS)

DOSE_WORDS = ("high-dose-words", "low-dose-words")  # how much recombinant IL-2 (read by `_dose`)
GIVEN = ("fusion-toxin", "engineered", "receptor-antibody", "low-dose", "cell-therapy")
# Within one intervention or arm, the first of these that matches decides it (see the module docstring).
UNIT_PRECEDENCE = ("fusion-toxin", "engineered", "receptor-antibody", "low-dose", "cell-therapy")
# Across the study: recombinant IL-2 given anywhere first (then low or high dose), then the others.
STUDY_PRECEDENCE = ("low-dose", "engineered", "fusion-toxin", "receptor-antibody", "cell-therapy")
# Intervention types that give no drug: IL-2 named there is measured or a procedure, never given.
NOT_GIVING_TYPES = frozenset({"DIAGNOSTIC_TEST", "PROCEDURE", "DEVICE", "BEHAVIORAL", "RADIATION"})
# Conditions that make a study of IL-2 of unstated dose an oncology (high-dose) study.
_CANCER = re.compile(r"\b(?:cancers?|carcinomas?|melanomas?|tumou?rs?|neoplasms?|lymphomas?|leuka?emias?|myelomas?"
                     r"|sarcomas?|malignan\w*|metasta\w*|glioma\w*|blastomas?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """What a study gives and whether it is in the portfolio. `quote` is verbatim from the string at `path`
    (relative to protocolSection, e.g. "armsInterventionsModule.interventions[0].name"); both None when no
    words decided it. `source`: "classifier" | "reviewed" (seed_data/portfolio.toml) | "seed"."""

    nct_id: str
    included: bool
    category: str
    reason: str
    quote: str | None
    path: str | None
    source: str


@dataclass(frozen=True)
class _Hit:
    wording: Wording
    quote: str
    path: str
    where: str  # "the intervention name", "an arm description", ... for the reason
    in_name: bool  # found in an intervention name, other name or arm label


@dataclass(frozen=True)
class _Text:
    path: str
    text: str
    is_name: bool
    where: str


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _units(protocol: Mapping[str, Any]) -> Iterator[tuple[bool, list[_Text]]]:
    """(gives a drug?, its strings) for each intervention and arm group of the record."""
    arms = protocol.get("armsInterventionsModule")
    if not isinstance(arms, Mapping):
        return
    base = "armsInterventionsModule"
    for i, iv in enumerate(arms.get("interventions") or []):
        if not isinstance(iv, Mapping):
            continue
        texts: list[_Text] = []
        if (name := _s(iv.get("name"))) is not None:
            texts.append(_Text(f"{base}.interventions[{i}].name", name, True, "the intervention name"))
        for k, other in enumerate(iv.get("otherNames") or []):
            if (o := _s(other)) is not None:
                texts.append(_Text(f"{base}.interventions[{i}].otherNames[{k}]", o, True, "an intervention's other name"))
        if (d := _s(iv.get("description"))) is not None:
            texts.append(_Text(f"{base}.interventions[{i}].description", d, False, "an intervention description"))
        yield iv.get("type") not in NOT_GIVING_TYPES, texts
    for j, arm in enumerate(arms.get("armGroups") or []):
        if not isinstance(arm, Mapping):
            continue
        texts = []
        if (label := _s(arm.get("label"))) is not None:
            texts.append(_Text(f"{base}.armGroups[{j}].label", label, True, "an arm label"))
        if (d := _s(arm.get("description"))) is not None:
            texts.append(_Text(f"{base}.armGroups[{j}].description", d, False, "an arm description"))
        yield True, texts


def _study_texts(protocol: Mapping[str, Any]) -> list[_Text]:
    """The study's own description: titles, summary, detailed description (tie-breakers only)."""
    out: list[_Text] = []
    ident, desc = protocol.get("identificationModule"), protocol.get("descriptionModule")
    for module, name, key, where in (
        (ident, "identificationModule", "briefTitle", "the study title"),
        (ident, "identificationModule", "officialTitle", "the official title"),
        (desc, "descriptionModule", "briefSummary", "the brief summary"),
        (desc, "descriptionModule", "detailedDescription", "the detailed description"),
    ):
        if isinstance(module, Mapping) and (t := _s(module.get(key))) is not None:
            out.append(_Text(f"{name}.{key}", t, False, where))
    return out


def _outcome_texts(protocol: Mapping[str, Any]) -> list[_Text]:
    out: list[_Text] = []
    outcomes = protocol.get("outcomesModule")
    if not isinstance(outcomes, Mapping):
        return out
    for group in ("primaryOutcomes", "secondaryOutcomes", "otherOutcomes"):
        for i, o in enumerate(outcomes.get(group) or []):
            if not isinstance(o, Mapping):
                continue
            for key in ("measure", "description"):
                if (t := _s(o.get(key))) is not None:
                    out.append(_Text(f"outcomesModule.{group}[{i}].{key}", t, False, "an outcome measure"))
    return out


def _hits(texts: list[_Text], kinds: tuple[str, ...] | None = None) -> list[_Hit]:
    rows = [(w, rx, n) for w, rx, n in _COMPILED if kinds is None or w.kind in kinds]
    folded = [prefilter.fold(t.text) for t in texts]
    if None not in folded:  # a wording none of the texts can match is not tried on each (a necessary test only)
        together = "\n".join(f for f in folded if f is not None)
        rows = [r for r in rows if prefilter.holds(r[2], together)]
    hits: list[_Hit] = []
    for t, f in zip(texts, folded, strict=True):
        for w, rx, needles in rows:
            if (w.scope == "name" and not t.is_name) or (f is not None and not prefilter.holds(needles, f)):
                continue
            if (m := rx.search(t.text)) is not None and m.group(0).strip():
                hits.append(_Hit(w, m.group(0), t.path, t.where, t.is_name))
    return hits


def _first(hits: list[_Hit], order: tuple[str, ...]) -> _Hit | None:
    """The deciding hit: by category order, a name before a text within a category."""
    for kind in order:
        of_kind = [h for h in hits if h.wording.kind == kind]
        if of_kind:
            return min(of_kind, key=lambda h: not h.in_name)
    return None


def _nct_id(study: Mapping[str, Any]) -> str:
    ident = (study.get("protocolSection") or {}).get("identificationModule") or {}
    return str(ident.get("nctId") or "") if isinstance(ident, Mapping) else ""


def _decision(nct_id: str, category: str, reason: str, hit: _Hit | None) -> Decision:
    return Decision(nct_id, category == "low-dose", category, reason, hit.quote if hit else None,
                    hit.path if hit else None, "classifier")


def classify(study: Mapping[str, Any], readings: Sequence[Reading] = ()) -> Decision:
    """The category of a study's IL-2 intervention, from one API v2 study dict
    ({"protocolSection": {...}, ...}), by the rules of the module docstring and the `WORDINGS` table, and
    `readings`, the regimen reader's readings of the same study (trialdb.dosing.reader.read_regimens): a dose
    read in the high-dose range makes a low-dose decision high-dose (rule 4). Pure; never raises on a record's
    text (a missing module reads as silence)."""
    decision = _classify(study)
    if decision.category == "low-dose":
        return _high_dose_read(decision, readings) or decision
    return decision


def _high_dose_read(decision: Decision, readings: Sequence[Reading]) -> Decision | None:
    """High-dose, with the dose's own words, when the reader read an active IL-2 dose in the high-dose range of
    trialdb.dosing.units.DOSE_RANGES ("600,000 IU/kg ... every 8 hours" beside the words "low-dose")."""
    for r in readings:
        if r.role != "active" or r.dose is None or r.unit is None or dose_range(r.dose, r.unit) != "high":
            continue
        fact = next((f for f in r.facts if f.field == "dose"), None)
        if fact is None:
            continue
        return Decision(decision.nct_id, False, "high-dose", f"IL-2 given at a dose read in the high-dose range "
                        f"('{fact.quote}', {fact.path}: {r.dose:g} {r.unit}, above the low-dose range), whatever its "
                        "words say of the dose.", fact.quote, fact.path, "classifier")
    return None


def _classify(study: Mapping[str, Any]) -> Decision:
    nct_id = _nct_id(study)
    protocol = study.get("protocolSection")
    if not isinstance(protocol, Mapping):
        return _decision(nct_id, "not-given", "The record has no protocol section: nothing says IL-2 is given.", None)
    unit_hits: list[tuple[str, _Hit, list[_Hit]]] = []  # (unit category, deciding hit, all the unit's hits)
    measured: list[_Hit] = []
    for gives, texts in _units(protocol):
        hits = _hits(texts)
        measured += [h for h in hits if h.wording.kind == "measured"]
        if not gives:  # IL-2 named in a test or procedure: measured, never given
            measured += [_Hit(Wording("measured", "", "IL-2 is named in an intervention that is a test or "
                                      "procedure, not a drug: measured, not given"), h.quote, h.path, h.where,
                                h.in_name)
                         for h in hits if h.wording.kind in GIVEN]
            continue
        if (hit := _first(hits, UNIT_PRECEDENCE)) is not None:
            unit_hits.append((hit.wording.kind, hit, hits))
    for category in STUDY_PRECEDENCE:
        decided = [(h, hits) for c, h, hits in unit_hits if c == category]
        if not decided:
            continue
        hit = min((h for h, _ in decided), key=lambda h: not h.in_name)
        if category != "low-dose":
            return _decision(nct_id, category, f"{hit.wording.reason} (from {hit.where}).", hit)
        return _dose(nct_id, protocol, hit, [h for _, hits in decided for h in hits])
    # No intervention or arm decides: the study's own description breaks the tie (named agents and
    # explicit low-dose wording only; a generic "IL-2" there is background). Its texts are the longest of
    # a record: each row searched once, the dose words only when they can matter.
    texts = _study_texts(protocol)
    described = _hits(texts, (*STUDY_PRECEDENCE, "measured"))
    if (hit := _first(described, STUDY_PRECEDENCE)) is not None:
        hit = _Hit(hit.wording, hit.quote, hit.path, f"{hit.where}; no intervention or arm names it", False)
        if hit.wording.kind == "low-dose":
            return _dose(nct_id, protocol, hit, described + _hits(texts, DOSE_WORDS))
        return _decision(nct_id, hit.wording.kind, f"{hit.wording.reason} (from {hit.where}).", hit)
    measured += [h for h in described if h.wording.kind == "measured"]
    measured += _hits(_outcome_texts(protocol), ("measured",))
    if measured:
        hit = measured[0]
        return _decision(nct_id, "not-given", f"{hit.wording.reason} (from {hit.where}); no intervention gives IL-2.",
                         hit)
    return _decision(nct_id, "not-given", "No intervention or arm names IL-2 or an IL-2 drug: IL-2 is not given.",
                     None)


def _dose(nct_id: str, protocol: Mapping[str, Any], hit: _Hit, unit_hits: list[_Hit]) -> Decision:
    """Low or high dose for a study that gives recombinant IL-2 (rule 4 of the module docstring)."""
    high = [h for h in unit_hits if h.wording.kind == "high-dose-words"]
    low = [h for h in unit_hits if h.wording.kind == "low-dose-words"]
    said = f"{hit.wording.reason} (from {hit.where})"
    if high and not low:
        h = high[0]
        return _decision(nct_id, "high-dose", f"{said}, at high dose: {h.wording.reason} ('{h.quote}', {h.where}).", h)
    if low and low[0].path == hit.path and low[0].quote in hit.quote:  # "low-dose IL-2" says both
        return _decision(nct_id, "low-dose", f"{said}.", hit)
    if low:
        return _decision(nct_id, "low-dose", f"{said}, at low dose ('{low[0].quote}', {low[0].where}).", hit)
    conditions = (protocol.get("conditionsModule") or {}).get("conditions") or []
    cancer = next((c for c in conditions if isinstance(c, str) and _CANCER.search(c)), None)
    if cancer is not None:
        return _decision(nct_id, "high-dose", f"{said}; IL-2 given in cancer ('{cancer}') and no wording says low "
                         "or high dose: taken as oncology (high-dose) IL-2 and left out of the low-dose portfolio.", hit)
    return _decision(nct_id, "low-dose", f"{said}; no wording says low or high dose: taken as low-dose by the "
                     "portfolio's condition scope (immune-mediated disease).", hit)


# --- Reviewed decisions (seed_data/portfolio.toml) -------------------------------------------------------

_DECISION_KEYS = {"nct_id", "include", "category", "reason", "quote"}


def load_reviewed(path: Path) -> dict[str, dict]:
    """The reviewed per-trial decisions of a portfolio file: its `[[decision]]` entries, by NCT id, each
    {"nct_id": str, "include": bool, "category": a CATEGORIES key, "reason": str, "quote": str | None}.
    A file without entries gives {}. Raises SourceError (naming the file, `decision[i].<field>` and the value)
    for invalid TOML, an entry that is not a table, an unknown key, a missing or mistyped field, a category
    not in CATEGORIES, an NCT id that is not one, or an NCT id decided twice."""
    file = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(file, "toml", str(exc), "not valid TOML") from None
    entries = data.get("decision", [])
    if not isinstance(entries, list):
        raise SourceError(file, "decision", entries, "not a list of [[decision]] tables")
    out: dict[str, dict] = {}
    for i, e in enumerate(entries):
        where = f"decision[{i}]"
        if not isinstance(e, dict):
            raise SourceError(file, where, e, "not a table")
        if unknown := sorted(set(e) - _DECISION_KEYS):
            raise SourceError(file, f"{where}.{unknown[0]}", e[unknown[0]],
                              f"unknown key (a decision has {', '.join(sorted(_DECISION_KEYS))})")
        nct = e.get("nct_id")
        if not isinstance(nct, str) or not NCT_ID.fullmatch(nct):
            raise SourceError(file, f"{where}.nct_id", nct, "missing or not an NCT id (NCT and 8 digits)")
        if nct in out:
            raise SourceError(file, f"{where}.nct_id", nct, "decided twice")
        if not isinstance(e.get("include"), bool):
            raise SourceError(file, f"{where}.include", e.get("include"), "missing or not true/false")
        if e.get("category") not in CATEGORIES:
            raise SourceError(file, f"{where}.category", e.get("category"), f"not one of {', '.join(CATEGORIES)}")
        reason = e.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise SourceError(file, f"{where}.reason", reason, "missing or empty: say why, for the researcher")
        quote = e.get("quote")
        if quote is not None and (not isinstance(quote, str) or not quote.strip()):
            raise SourceError(file, f"{where}.quote", quote, "not a non-empty string")
        out[nct] = {"nct_id": nct, "include": e["include"], "category": e["category"], "reason": reason.strip(),
                    "quote": quote}
    return out


def _locate(study: Mapping[str, Any], quote: str) -> str | None:
    """The path (relative to protocolSection) of the first string of the record that holds `quote`."""
    protocol = study.get("protocolSection")
    if not isinstance(protocol, Mapping):
        return None
    texts = [t for _, ts in _units(protocol) for t in ts] + _study_texts(protocol) + _outcome_texts(protocol)
    return next((t.path for t in texts if quote in t.text), None)


def decide(study: Mapping[str, Any], reviewed: Mapping[str, Mapping[str, Any]],
           readings: Sequence[Reading] = ()) -> Decision:
    """The portfolio decision for one API v2 study dict: the reviewed entry for its NCT id when there is one
    (source "reviewed"; its quote's path is where the quote stands in the record, None when the record does
    not hold it), else `classify(study, readings)`."""
    nct_id = _nct_id(study)
    r = reviewed.get(nct_id)
    if r is None:
        return classify(study, readings)
    quote = r.get("quote")
    return Decision(nct_id, bool(r["include"]), str(r["category"]), str(r["reason"]), quote,
                    _locate(study, quote) if quote else None, "reviewed")


def seed_decision(nct_id: str) -> Decision:
    """The decision for a seed trial (seed_data/*.txt, curated in curation.toml): a published low-dose IL-2
    trial, always in the portfolio (issue 20: "The seeds stay in")."""
    return Decision(nct_id, True, "low-dose", "Seed trial: a published low-dose IL-2 trial curated from its "
                    "sources in seed_data/, kept in the portfolio.", None, None, "seed")


__all__ = ["CATEGORIES", "STUDY_PRECEDENCE", "UNIT_PRECEDENCE", "WORDINGS", "Decision", "Wording", "classify",
           "decide", "load_reviewed", "seed_decision"]
