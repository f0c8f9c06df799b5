"""The one vocabulary of IL-2 dose units, and the reading of an amount with its unit from free text.

Canonical units (`UNITS`), each with its basis and its multiplier to international units (IU):

| unit              | basis  | IU per 1 of the unit | written in the registry as (examples)                              |
| ----------------- | ------ | -------------------- | ------------------------------------------------------------------ |
| IU                | flat   | 1                    | "IU", "I.U.", "UI", "international units", "units", "U"             |
| 10⁴ IU            | flat   | 10 000               | "WIU", "万IU", "万 IU", "万单位" (Chinese wan = 10⁴)                  |
| million IU        | flat   | 1 000 000            | "MIU", "MUI" (French), "MU", "Mio IU", "million IU", "million      |
|                   |        |                      | international units", "million units", "× 10^6 IU", "x10\\^6 IU",   |
|                   |        |                      | "X 106 IU" (superscript lost: see below), "half million IU" (0.5)   |
| IU/m², 10⁴ IU/m², million IU/m² | per m² | as above | the flat forms + "/m2", "/m^2", "/m\\^2", "/m²", "per m2",          |
|                   |        |                      | "per square meter/metre", "per meter squared", "/ m2 BSA"           |
| IU/kg, 10⁴ IU/kg, million IU/kg | per kg | as above | the flat forms + "/kg", "per kg", "per kilogram"                    |
| µg, µg/m², µg/kg  | mass   | None (not IU)        | "µg", "μg", "ug", "mcg"                                              |
| mg, mg/m², mg/kg  | mass   | None (not IU)        | "mg"                                                                 |

Rules (the sources are in the issue: registry wording as written, `../shared/fixtures/dosing/README.md`):
- A dose keeps the number as written and the unit it was written in ("1,500,000 IU" is 1500000 "IU",
  "1.5 MIU" is 1.5 "million IU", "50 WIU" is 50 "10⁴ IU"), so every number of a read dose is in its quote;
  `to_iu` converts for comparisons. "half million IU" is 0.5 "million IU" (the only number word read).
- Decimal point "." or the middle dot "·" ("0·33"); thousands separators "," in groups of three ("100,000").
- Powers of ten: "× 10^6", "x10\\^6", "X 10⁶", "*10^6" multiply by 10^6 (any exponent 3–9 is read the same way).
  "× 106"/"X 106"/"1X 106" (a superscript 6 lost in copying) is read as × 10^6 ONLY with the multiplication
  sign present and an IU unit right after it; "106" without the sign is not a multiplier, and "× 105" or other
  digits after "10" are refused as garbled. A number run together with "10" and no sign ("1106 IU") is not
  read, nor is "103" to "109" before an IU unit ("106 IU": 10^6 with its superscript lost, or 106?):
  `DoseMatch.problem` says why.
- The sign of the power as copied: PubMed's "× 10(6)", "10~6" and the registry's Markdown-escaped "10\\~6" (a
  tilde where the caret was: the registry escapes "~" as it escapes "^"), "10E6", and a superscript flattened
  with a space ("0.2 x 10 6 IU/m 2") are powers of ten like "× 10^6"; so is scientific notation, "1.0E+06 IU"
  (1.0 million IU). A tilde BEFORE a number ("\\~1 MIU") is "about" and refused, as below. "10E6 IU" alone is
  refused: 10^7 as written, 10^6 as often meant.
- The exponent of a power is never a dose of its own: "6 IU" in "10 6 IU" or "10\\~6 IU" is refused as a fragment
  (a number written as a power is read as the power or not at all).
- "/M2" in capitals is per m² ("4.0 MIU/M2"), and so is "/m 2" (the superscript flattened with a space).
- Digit groups separated by spaces ("30 000 U") and decimal commas ("7,5 MUI") are refused: the number is not
  read (the check of a dose against its quote reads "." and "·" decimals and "," thousands only).
- "mIU" is refused: it is milli-IU in laboratory use and million IU in some dosing text (ambiguous).
- Ranges ("100,000–200,000 IU/m2", "1-2 MIU") are refused: the dose is not one number.
- "IU/mL" and other concentrations are not doses and are not matched.
- "units"/"U" are read as IU: IL-2 activity is measured in international units (Proleukin label; the seed
  curation reads "1 million units" as 1 "million IU").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Basis = Literal["flat", "per m²", "per kg"]

UNITS: tuple[str, ...] = (
    "IU", "10⁴ IU", "million IU",
    "IU/m²", "10⁴ IU/m²", "million IU/m²",
    "IU/kg", "10⁴ IU/kg", "million IU/kg",
    "µg", "µg/m²", "µg/kg",
    "mg", "mg/m²", "mg/kg",
)

_IU_PER_UNIT = {"IU": 1.0, "10⁴ IU": 1e4, "million IU": 1e6}


def basis(unit: str) -> Basis:
    """"per m²", "per kg" or "flat" for a unit of `UNITS`. Raises ValueError for an unknown unit."""
    if unit not in UNITS:
        raise ValueError(f"not a unit of the vocabulary: {unit!r}")
    if unit.endswith("/m²"):
        return "per m²"
    if unit.endswith("/kg"):
        return "per kg"
    return "flat"


def to_iu(dose: float, unit: str) -> float | None:
    """IU per administration on the unit's basis (per m² stays per m², per kg per kg): 1.5 "million IU" ->
    1_500_000.0; None for mass units (µg, mg). Raises ValueError for an unknown unit."""
    basis(unit)
    amount = unit.split("/")[0]
    factor = _IU_PER_UNIT.get(amount)
    return None if factor is None else dose * factor


# --- the dose ranges of IL-2 -----------------------------------------------------------------------------------
# IU per administration, by basis: below `low` is far below any low-dose regimen; above `high` is the high dose of
# cancer immunotherapy. Sources: Proleukin (aldesleukin) label, high dose 600,000 to 720,000 IU/kg every 8 hours
# (0.037 mg/kg); low-dose IL-2 in immune-mediated disease 0.3 to 3 million IU a day (Saadoun NEJM 2011; Koreth NEJM
# 2011, 0.3 to 3 million IU/m2; Hartemann Lancet Diabetes Endocrinol 2013, 0.33 to 3 million IU; TRANSREG, Rosenzwajg
# Ann Rheum Dis 2019, 1 million IU; He Ann Rheum Dis 2020, 1 million IU). Between the two lie the intermediate doses
# of HIV and renal cancer trials (9 to 18 million IU a day), neither low nor high here. Used by the regimen reader
# (a flag beside the dose) and by the portfolio classifier (a read dose in the high range makes a trial high-dose).
DOSE_RANGES: dict[Basis, tuple[float, float]] = {
    "flat": (3e4, 2e7),      # 30,000 IU; 20 million IU (above the 18 million IU of renal cancer s.c. regimens)
    "per m²": (3e4, 2e7),
    "per kg": (5e2, 3e5),    # 500 IU/kg; 300,000 IU/kg (half the high-dose label's 600,000 IU/kg)
}


def dose_range(dose: float, unit: str) -> Literal["below", "high"] | None:
    """Where a dose as read (`dose` in `unit`, a unit of `UNITS`) stands among `DOSE_RANGES`: "below" (far below
    the low-dose range), "high" (the high-dose range), None otherwise and for mass units (not in IU).
    Raises ValueError for an unknown unit."""
    iu = to_iu(dose, unit)
    if iu is None:
        return None
    low, high = DOSE_RANGES[basis(unit)]
    return "below" if iu < low else "high" if iu > high else None


# --- reading amounts from text -------------------------------------------------------------------------------

NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:[.·]\d+)?|\d+(?:[.·]\d+)?|[.·]\d+)"


def parse_number(text: str) -> float:
    """A number as the registry writes it: "0·33" (middle dot), "100,000", "1.5", "half" (0.5).
    Raises ValueError for anything else."""
    t = text.strip()
    if t.lower() == "half":
        return 0.5
    if not re.fullmatch(NUMBER, t):
        raise ValueError(f"not a number: {text!r}")
    return float(t.replace(",", "").replace("·", "."))


# A number as a quote writes it, not glued to a word, a hyphenated name or a power sign: "m2", "IL-2", "D5",
# the 6 of "10^6", "10\\~6" or "10(6)" give no number; "7,5" (a decimal comma) gives none either.
_QUOTED_NUMBER = re.compile(rf"(?<![\w^~.,·(])(?<![A-Za-z]-){NUMBER}(?!,\d|[.·]\d|\d)")


def numbers_in(text: str) -> list[float]:
    """Every number a quote writes, in order, read with `parse_number`; "half" is 0.5. The one reader of a
    quote's numbers: the regimen reader's property tests and `check` (trialdb.readings.dose_in_quote) both use
    it, so they cannot disagree on what a quote says. Strict: not the digits of "m2", "IL-2", "D1" or of a
    power's exponent ("10^6", "10\\~6", "10(6)"), and not a number written with a decimal comma ("7,5")."""
    found = [parse_number(m.group()) for m in _QUOTED_NUMBER.finditer(text)]
    if re.search(r"\bhalf\b", text, re.I):
        found.append(0.5)
    return found


_SPACE = r"[ \u00a0\u202f]*"
_TIMES = r"[×xX*]"
_POWER_SIGN = r"(?:\\?\^|\*\*|<sup>|\(|\\?~|[eE]\+?0?)"
_POWER = (rf"{_TIMES}{_SPACE}10(?:{_SPACE}{_POWER_SIGN}{_SPACE}|[ \u00a0\u202f]+)(?P<exp>[3-9])(?![\d.,·])"
          rf"(?:</sup>|\))?")
_E_POWER = r"[eE]\+?0?(?P<eexp>[3-9])(?![\d.,·])"  # "1.0E+06 IU", "1E6 IU": scientific notation
_POWER_SUP = rf"{_TIMES}{_SPACE}10(?P<sup>[³⁴⁵⁶⁷⁸⁹])"
_IU = r"(?:international\s+units?|I\.U\.|IU|UI|units?|U)(?![A-Za-z])"
_MILLION_WORD = r"(?i:millions?|mio\.?|mega)"
_PER_M2 = (r"(?:\s*/\s*[mM](?:[ \u00a0]?2|\\?\^2|²|\(2\))(?![0-9])|\s*per\s+(?:m(?:2|\\?\^2|²)(?![0-9])|square\s+met(?:er|re)s?|met(?:er|re)\s+squared)"
           r"|\s*/\s*square\s+met(?:er|re))")
_PER_KG = r"(?:\s*/\s*kg\b|\s*per\s+(?:kg|kilogram)\b)"

# The amount: a number, then an optional power of ten or word multiplier, then the unit, then the basis.
DOSE = re.compile(
    rf"(?P<range>{NUMBER}{_SPACE}(?:–|—|-|to|~){_SPACE})?"
    rf"(?P<num>{NUMBER}|(?<![A-Za-z])half(?:\s+a)?)"
    rf"(?:(?P<epower>{_E_POWER})|{_SPACE}(?P<power>{_POWER}|{_POWER_SUP})"
    rf"|{_SPACE}(?P<lost>{_TIMES}){_SPACE}10(?P<lostdigit>\d)(?!\d))?"
    rf"{_SPACE}(?:"
    rf"(?P<million>{_MILLION_WORD}){_SPACE}(?:of\s+)?(?P<miu>{_IU})"
    rf"|(?P<mcompact>M(?:IU|UI|U|I\.U\.))(?![A-Za-z])"
    rf"|(?P<milli>mIU|mu)(?![A-Za-z])"
    rf"|(?P<wan>WIU|[万萬]{_SPACE}(?:IU|U|单位|單位)|[万萬])"
    rf"|(?P<iu>{_IU})"
    rf"|(?P<mass>µg|μg|ug|mcg|mg|micrograms?|milligrams?)(?![A-Za-z])"
    rf")"
    rf"(?P<abbr>{_SPACE}\((?:MIU|MUI|IU|MU|UI)\))?"
    rf"(?P<per>{_PER_M2}|{_PER_KG})?"
    rf"(?!{_SPACE}/{_SPACE}m[lL]\b)",
)


@dataclass(frozen=True)
class DoseMatch:
    """One amount with its unit found in a text.

    start/end: the span in the text searched; text: that span as written.
    value: the number as written (None when `problem` is set); unit: a unit of `UNITS` (None with a problem);
    unit_as_written: the unit words as written ("MIU/m2"); per_day: the amount is written "per day"/"/day".
    problem: why the amount is not read ("a range: ...", "garbled number: ...", "ambiguous unit: ...").
    """

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    unit_as_written: str | None
    per_day: bool = False
    problem: str | None = None
    options: tuple[float, ...] = ()  # several doses listed with one unit ("0.125, 0.250 or 0.500 MIU/m2"), in order


_PER_DAY = re.compile(rf"{_SPACE}(?:/{_SPACE}(?:day|d|jour|j)\b|per\s+day\b|a\s+day\b|daily\b|par\s+jour\b)", re.I)


def find_doses(text: str) -> list[DoseMatch]:
    """Every amount with a dose unit in `text`, in order, each read or refused (`problem`). Pure; never raises."""
    out: list[DoseMatch] = []
    for m in DOSE.finditer(text):
        g = m.groupdict()
        start, end = m.start(), m.end()
        per_day = False
        d = _PER_DAY.match(text, end)
        if d:
            per_day = True
        whole = text[start:end]
        unit_start = min(i for i in (m.start(k) for k in ("million", "mcompact", "milli", "wan", "iu", "mass"))
                         if i >= 0)
        written = text[unit_start:end]
        if g["power"] or g["epower"]:
            written = text[m.start("power" if g["power"] else "epower"):end]
        elif g["lost"]:
            written = text[m.start("lost"):end]

        def refuse(why: str, s: int = start, e: int = end, w: str = written, pd: bool = per_day) -> None:
            out.append(DoseMatch(s, e, text[s:e], None, None, w, pd, why))

        if g["range"]:
            refuse(f"a range: {whole}")
            continue
        num = g["num"]
        # digits run into a preceding number or letter ("1106 IU" is not 106 IU; "hrIL-2 1" is not a dose)
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,·"):
            comma = re.search(r"(?<![\d,])\d{1,3},$", text[:start])
            if comma and re.fullmatch(r"\d{1,2}", num):  # "7,5 MUI": a decimal comma, not read
                refuse(f"a decimal comma: {comma.group() + whole!r} (not read)", s=start - len(comma.group()))
            continue
        before = text[max(0, start - 80):start]
        # the exponent of a power of ten is never a dose of its own: "6 IU" in "0.2 x 10 6 IU" (a superscript
        # flattened with a space), "10\\~6 IU", "10^6 IU" where the number before the power could not be read
        fragment = re.search(rf"(?:{_TIMES}{_SPACE}10{_SPACE}(?:{_POWER_SIGN}{_SPACE})?"
                             rf"|(?<![\d.,·])10{_SPACE}{_POWER_SIGN}{_SPACE})$", before) or (
            re.fullmatch(r"[3-9]", num) and re.search(r"(?<![\d.,·])10[ \u00a0\u202f]+$", before))
        if fragment:
            refuse(f"a fragment of a power of ten: {fragment.group() + whole!r} (not a dose)",
                   s=start - len(fragment.group()))
            continue
        # "30 000 U": digit groups separated by spaces are not read (the group "000" is not a dose)
        spaced = re.search(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})*[ \u00a0\u202f]$", before)
        if spaced and re.fullmatch(r"\d{3}(?:[.·]\d+)?", num):
            refuse(f"digit groups separated by spaces: {spaced.group() + whole!r} (not read)",
                   s=start - len(spaced.group()))
            continue
        if re.search(r"(?:~|\\~|≈|[<>≤≥]=?|approximately|about|around|up\s+to|at\s+most|maximum(?:\s+dose)?\s+of)\s*$", before,
                     re.I):
            refuse(f"an approximate or maximum amount: {before[-20:].strip()} {whole}")
            continue
        if re.search(r"\bbetween\s+" + NUMBER + r"\s+and\s*$", before, re.I):
            refuse(f"a range: between ... {whole}")
            continue
        item = rf"(?<![\d.,·:A-Za-z-]){NUMBER}(?:{_SPACE}{_TIMES}{_SPACE}10(?:6|\\?\^{_SPACE}6|⁶|\(6\)))?"
        lst = re.search(rf"(?:{item}\s*(?:,|;|/)?\s*(?:or|and)?\s*)+$", before)
        options: tuple[float, ...] = ()
        if lst and re.search(r"(?:,|;|\bor\b|\band\b)\s*$", before) and lst.group().strip():
            nums = [re.match(NUMBER, x.group()).group() for x in re.finditer(item, lst.group())]  # type: ignore[union-attr]
            options = tuple(parse_number(x) for x in nums)

        def add(value: float, unit: str, s: int = start, e: int = end, w: str = written,
                opts: tuple[float, ...] = options, lst_len: int = len(lst.group()) if lst else 0,
                pd: bool = per_day) -> None:
            if opts:
                s0 = s - lst_len
                allv = (*opts, value)
                out.append(DoseMatch(s0, e, text[s0:e], None, unit, w, pd,
                                     f"several doses listed: {text[s0:e]}", allv))
            else:
                out.append(DoseMatch(s, e, text[s:e], value, unit, w, pd))

        per = g["per"] or ""
        suffix = "/m²" if per and re.search(r"[mM]", per) and "kg" not in per else ("/kg" if per else "")
        if g["milli"]:
            refuse(f"ambiguous unit: '{g['milli']}' is milli-IU or million IU in {whole!r}")
            continue
        if g["mass"]:
            if g["power"] or g["epower"] or g["lost"] or num.lower().startswith("half"):
                refuse(f"garbled amount: {whole!r}")
                continue
            mass = "mg" if g["mass"].startswith(("mg", "milli")) else "µg"
            add(parse_number(num), mass + suffix)
            continue
        if num.lower().startswith("half") and not (g["million"] or g["mcompact"]):
            continue  # "half" alone is only read in "half million IU"
        value = parse_number("half" if num.lower().startswith("half") else num)
        if g["lost"]:
            if g["lostdigit"] != "6" or not g["iu"]:
                refuse(f"garbled number: {whole!r} (a power of ten whose superscript was lost, not 10^6 IU)")
                continue
            amount = "million IU"
        elif g["epower"] and num == "10":  # "10E6": 10^7 as written, but written for 10^6 ("1×10E6")
            refuse(f"ambiguous power of ten: {whole!r} (10E6 is 10^7 as written, 10^6 as often meant)")
            continue
        elif g["power"] or g["epower"]:
            exp = (int(g["exp"] or g["eexp"]) if g["exp"] or g["eexp"] else "³⁴⁵⁶⁷⁸⁹".index(g["sup"]) + 3)
            if g["million"] or g["mcompact"] or g["wan"]:
                refuse(f"garbled amount: {whole!r} (a power of ten and a word multiplier)")
                continue
            if exp == 6:
                amount = "million IU"
            elif exp == 4:
                amount = "10⁴ IU"
            else:
                refuse(f"power of ten 10^{exp} outside the vocabulary: {whole!r}")
                continue
            if g["mass"]:
                refuse(f"garbled amount: {whole!r}")
                continue
        elif g["million"] or g["mcompact"]:
            amount = "million IU"
        elif g["wan"]:
            amount = "10⁴ IU"
        else:
            if re.fullmatch(r"\d{1,3}106", num):
                refuse(f"garbled number: {whole!r} (reads like N × 10^6 with the sign lost)")
                continue
            if re.fullmatch(r"10[3-9]", num):  # "106 IU", "x 106 IU": 10^6 with its superscript lost, or 106?
                refuse(f"garbled number: {whole!r} (reads like 10^{num[-1]} with its superscript lost)")
                continue
            amount = "IU"
        add(value, amount + suffix)
    return out
