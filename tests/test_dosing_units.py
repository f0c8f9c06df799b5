"""The unit vocabulary and amounts as the registry writes them (sources: fixtures/dosing/README.md and the reader's
test phrases)."""

from __future__ import annotations

import pytest

from trialdb.dosing.units import UNITS, basis, find_doses, numbers_in, parse_number, to_iu


@pytest.mark.parametrize("text,value,unit", [
    ("0·33 MIU", 0.33, "million IU"),                      # DF-IL2 Lancet 2013: middle dot
    ("1,500,000 IU", 1500000.0, "IU"),                     # hindawi BMRI 2018 table 1
    ("0.26 × 106 IU/m2", 0.26, "million IU/m²"),           # DILfrequency: superscript lost, sign present
    ("1 x 10\\^6 IU/m\\^2", 1.0, "million IU/m²"),          # NCT01366092: Markdown escapes
    ("half million IU", 0.5, "million IU"),                # bullous pemphigoid 2024
    ("1 MUI", 1.0, "million IU"),                          # French word order
    ("50 WIU", 50.0, "10⁴ IU"),                            # Chinese wan
    ("50万IU", 50.0, "10⁴ IU"),
    ("0.30 MIU per meter squared", 0.3, "million IU/m²"),  # NCT02739412
    ("1 million units", 1.0, "million IU"),                # NCT02465580 (seed curation reads it so)
    ("600,000 IU/kg", 600000.0, "IU/kg"),                  # Proleukin label
    ("1.5 Mio IU", 1.5, "million IU"),
    ("0.037 mg/kg", 0.037, "mg/kg"),
    # the power's sign as copied (issue 32): a tilde for the caret, escaped or not; E notation; a flattened superscript
    ("1 x 10\\~6 IU", 1.0, "million IU"),                 # NCT05605665 arm description (registry Markdown)
    ("1 x 10~6 IU", 1.0, "million IU"),
    ("1×10E6 IU", 1.0, "million IU"),
    ("1.0E+06 IU", 1.0, "million IU"),                     # scientific notation
    ("0.2 x 10 6 IU/m 2", 0.2, "million IU/m²"),          # superscripts flattened with a space left
    ("3 x 10(6) IU", 3.0, "million IU"),                   # PubMed's rendering of a superscript
])
def test_read(text, value, unit):
    [d] = find_doses(text)
    assert (d.value, d.unit, d.problem) == (value, unit, None)
    assert d.value in numbers_in(d.text)


@pytest.mark.parametrize("text,problem", [
    ("100,000–200,000 IU/m2", "a range"),                  # Clin Cancer Res 2014
    ("1106 IU", "garbled"),                                # a lost sign: not read as 106 or 1106
    ("1 × 105 IU", "garbled"),                             # only 106 stands for 10^6
    ("2 mIU", "ambiguous unit"),
    ("\\~1 MIU", "approximate"),
    ("1-20萬單位", "a range"),
    ("10 6 IU", "a fragment of a power"),                  # 10⁶ flattened without its mantissa: never "6 IU"
    ("x 10\\~6 IU", "a fragment of a power"),
    ("4.5 3 106 IU", "digit groups"),                      # a sign lost: stays unread (issue 32)
])
def test_refused(text, problem):
    [d] = find_doses(text)
    assert d.value is None and problem in (d.problem or "")


def test_an_exponent_is_never_a_dose():
    """A number written as a power is read as the power or not at all: whatever surrounds a power of ten, no
    dose found is its exponent (6), its base (10) or the two run together (106)."""
    for sign in ["", "^", "\\^", "~", "\\~", "(", "E", "E+0", " ^ "]:
        for space in ["", " ", "  "]:
            for lead in ["0.2 x ", "1 × ", "x ", "", "dose of ", "0.2x"]:
                text = f"{lead}10{space}{sign}6{')' if sign == '(' else ''} IU/m 2 daily"
                for d in find_doses(text):
                    assert d.value not in (6.0, 10.0, 106.0), (text, d)


def test_no_multiplier_without_sign_and_no_concentration():
    assert [d.value for d in find_doses("1X 106, ip, Qod")] == []   # no IU after "106": not a dose
    assert find_doses("IL-2 10 IU/mL in culture") == []


def test_list_of_doses_sharing_a_unit():
    [d] = find_doses("0.125, 0.250 or 0.500 million international units (MIU)/m2")  # DF-IL2-Child
    assert d.options == (0.125, 0.25, 0.5) and d.unit == "million IU/m²" and d.value is None
    [d] = find_doses("(0.33 × 106 and 0.67 × 106 IU/m2 per day")  # Blood Adv 2019
    assert d.options == (0.33, 0.67)


def test_basis_and_to_iu():
    assert basis("million IU/m²") == "per m²" and basis("IU/kg") == "per kg" and basis("10⁴ IU") == "flat"
    assert to_iu(1.5, "million IU") == 1_500_000.0 and to_iu(50, "10⁴ IU") == 500_000.0
    assert to_iu(0.26, "million IU/m²") == pytest.approx(260_000.0) and to_iu(1.0, "µg/kg") is None
    assert all(basis(u) in ("flat", "per m²", "per kg") for u in UNITS)
    with pytest.raises(ValueError):
        basis("MIU")


def test_parse_number():
    assert parse_number("0·33") == 0.33 and parse_number("100,000") == 100000 and parse_number("half") == 0.5
    with pytest.raises(ValueError):
        parse_number("1,00")
