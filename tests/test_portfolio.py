"""What each trial gives (trialdb/portfolio/classifier.py): every category from real registry or published wording, the
precedence rules, the reviewed decisions of portfolio.toml, and the real registry records kept as fixtures.

The wordings below are copied verbatim from public pages (sources in the comment beside each); they are
placed in the API v2 field a registry record holds them in. A decision's quote must be a verbatim substring
of the string at its path: every test checks that (`_check_quote`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trialdb.errors import SourceError
from trialdb.portfolio.classifier import (
    CATEGORIES,
    STUDY_PRECEDENCE,
    UNIT_PRECEDENCE,
    WORDINGS,
    Decision,
    classify,
    decide,
    load_reviewed,
    seed_decision,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ctgov"


def study(interventions=(), arms=(), *, nct="NCT09999999", conditions=("Systemic Lupus Erythematosus",),
          summary=None, title=None, outcomes=()):
    """An API v2 study dict holding the given wordings in their registry fields."""
    protocol: dict = {"identificationModule": {"nctId": nct}, "conditionsModule": {"conditions": list(conditions)},
                      "armsInterventionsModule": {"interventions": list(interventions), "armGroups": list(arms)}}
    if title:
        protocol["identificationModule"]["briefTitle"] = title
    if summary:
        protocol["descriptionModule"] = {"briefSummary": summary}
    if outcomes:
        protocol["outcomesModule"] = {"primaryOutcomes": [{"measure": m} for m in outcomes]}
    return {"protocolSection": protocol}


def _at(protocol: dict, path: str):
    """The value at a protocolSection-relative path such as "armsInterventionsModule.interventions[0].name"."""
    node = protocol
    for part in path.split("."):
        name, _, index = part.partition("[")
        node = node[name]
        if index:
            node = node[int(index.rstrip("]"))]
    return node


def _check_quote(s: dict, d: Decision) -> None:
    if d.quote is None:
        assert d.path is None
        return
    assert d.path is not None
    assert d.quote in _at(s["protocolSection"], d.path), (d.quote, d.path)


def check(s: dict, category: str, quote: str | None = None, path: str | None = None) -> Decision:
    d = classify(s)
    _check_quote(s, d)
    assert d.category == category, d
    assert d.included == (category == "low-dose")
    assert d.source == "classifier"
    assert d.reason and d.reason[0].isupper()
    if quote is not None:
        assert d.quote is not None and d.quote.lower() == quote.lower(), d
    if path is not None:
        assert d.path == path, d
    return d


# --- Every category from real wording -------------------------------------------------------------------

def test_low_dose_aldesleukin_with_its_dose_in_miu():
    # NCT02739412, arm and intervention as posted (meddatax.com/clinical-trials/NCT02739412/results). The arm
    # says "to expand TRegs": the Treg words of a low-dose IL-2 arm do not make it cell therapy.
    s = study([{"type": "DRUG", "name": "IL-2",
                "description": "IL-2 (Interleukin-2; Aldesleukin; Proleukin) administered daily as a single "
                               "subcutaneous injection 0.30 MIU per meter squared body surface area for a duration "
                               "of 4 weeks."}],
              [{"label": "Active Study Medication Arm",
                "description": "Single arm, prospective, open label efficacy and safety of a 4-weeks course of low "
                               "dose IL-2 to expand TRegs in liver transplant recipients with stable liver function."}],
              conditions=["Liver Transplant"])
    d = check(s, "low-dose", "IL-2", "armsInterventionsModule.interventions[0].name")
    assert "at low dose" in d.reason


def test_low_dose_three_doses_in_a_description():
    # NCT04077684 (centerwatch.com listing 241048): "IL-2 (0.2 MIU, 0.5 MIU or 1 MIU) or placebo was administered
    # subcutaneously every other day for the first 12 weeks"
    text = ("IL-2 (0.2 MIU, 0.5 MIU or 1 MIU) or placebo was administered subcutaneously every other day for the "
            "first 12 weeks , and then was adjusted to once a week for the second 12 weeks.")
    s = study([{"type": "DRUG", "name": "Study drug", "description": text}])
    check(s, "low-dose", "IL-2 (0.2 MIU", "armsInterventionsModule.interventions[0].description")


def test_low_dose_by_condition_scope_when_no_wording_says_the_dose():
    # NCT01445561 (clinicaltrials.gov/ct2/show/NCT01445561): "Drug: Interleukin-2 (100,000 international units)";
    # its summary's background ("High dose interleukin-2 has been used to treat different types of cancer")
    # is not the trial's dose.
    s = study([{"type": "DRUG", "name": "Interleukin-2 (100,000 international units)"},
               {"type": "DRUG", "name": "Interleukin-2 (200,000 international units)"}],
              conditions=["Hematologic Diseases"],
              summary="High dose interleukin-2 has been used to treat different types of cancer and immune system "
                      "disorders.")
    d = check(s, "low-dose", path="armsInterventionsModule.interventions[0].name")
    assert "condition scope" in d.reason or "at low dose" in d.reason


def test_low_dose_from_other_names_only():
    # The quirk record's arm-to-intervention format (shared fixtures) with real other names: Proleukin.
    s = study([{"type": "DRUG", "name": "Study medication", "otherNames": ["Proleukin"]}])
    check(s, "low-dose", "Proleukin", "armsInterventionsModule.interventions[0].otherNames[0]")


def test_high_dose_aldesleukin_by_the_label_dose():
    # Proleukin label as quoted by drugs.com/dosage/aldesleukin.html: "0.037 mg/kg (600,000 IU/kg) every 8 hours
    # via a 15-minute IV infusion for a maximum of 14 doses"
    s = study([{"type": "DRUG", "name": "Aldesleukin",
                "description": "0.037 mg/kg (600,000 IU/kg) every 8 hours via a 15-minute IV infusion for a maximum "
                               "of 14 doses"}], conditions=["Metastatic Melanoma"])
    d = check(s, "high-dose", "600,000 IU/kg", "armsInterventionsModule.interventions[0].description")
    assert not d.included


def test_high_dose_by_its_words():
    # slideshare.net "Proleukin (aldesleukin for injection) for High-Dose I.V. Bolus Administration":
    # "Administer Proleukin at a dose of 600,000 IU/kg every 8 hours by a 15-minute IV infusion"
    s = study([{"type": "BIOLOGICAL", "name": "High-dose IL-2",
                "description": "Administer Proleukin at a dose of 600,000 IU/kg every 8 hours by a 15-minute IV "
                               "infusion"}], conditions=["Renal Cell Carcinoma"])
    check(s, "high-dose")


def test_unknown_dose_in_cancer_is_left_out():
    s = study([{"type": "DRUG", "name": "Aldesleukin"}], conditions=["Metastatic Melanoma"])
    d = check(s, "high-dose", "Aldesleukin")
    assert "Metastatic Melanoma" in d.reason and "left out" in d.reason


def test_engineered_efavaleukin_by_name():
    # withpower.com trial listing of the efavaleukin alfa SLE phase 2b: arm "Efavaleukin Alfa Dose Level Two +
    # Standard of Care"; trial.medpath.com monograph: "Efavaleukin alfa is a novel interleukin-2 (IL-2) mutein
    # Fc fusion protein."
    s = study([{"type": "DRUG", "name": "Efavaleukin Alfa",
                "description": "Efavaleukin alfa is a novel interleukin-2 (IL-2) mutein Fc fusion protein."}],
              [{"label": "Efavaleukin Alfa Dose Level Two + Standard of Care"}])
    d = check(s, "engineered", "Efavaleukin Alfa", "armsInterventionsModule.interventions[0].name")
    assert "mutein" in d.reason


def test_engineered_from_the_text_when_the_name_is_a_code():
    # Mendeley record of the efavaleukin phase 1b abstract: "Efavaleukin alfa is an IL-2 mutein Fc fusion
    # protein; an introduced mutation decreases binding to IL-2Rβ"; here under a sponsor code name.
    s = study([{"type": "BIOLOGICAL", "name": "Study drug X",
                "description": "an IL-2 mutein Fc fusion protein; an introduced mutation decreases binding to "
                               "IL-2Rβ and increases dependence on IL-2Rα (CD25)."}])
    check(s, "engineered", "mutein", "armsInterventionsModule.interventions[0].description")


def test_engineered_rezpegaldesleukin_is_not_aldesleukin():
    # metrohealth.trialstoday.org/list/print/NCT04433585: "The reason for this study is to see if the study drug
    # LY3471851 (NKTR-358) is safe and effective in adults with systemic lupus erythematosus (SLE)."
    s = study([{"type": "DRUG", "name": "LY3471851", "otherNames": ["NKTR-358", "rezpegaldesleukin"]},
               {"type": "DRUG", "name": "Placebo"}],
              summary="The reason for this study is to see if the study drug LY3471851 (NKTR-358) is safe and "
                      "effective in adults with systemic lupus erythematosus (SLE).")
    check(s, "engineered", "LY3471851", "armsInterventionsModule.interventions[0].name")
    # "rezpegaldesleukin" holds "aldesleukin" without a word boundary: not recombinant IL-2.
    alone = study([{"type": "DRUG", "name": "Rezpegaldesleukin"}])
    check(alone, "engineered", "Rezpegaldesleukin")


def test_receptor_antibody_basiliximab():
    # crick.ai/trials/NCT04404127: interventions "Basiliximab" and "No-Induction"; "Induction therapy with IL-2
    # receptor antagonist (IL2-RA) is recommended as a first line agent in low immunological risk kidney
    # transplant recipients."
    s = study([{"type": "DRUG", "name": "Basiliximab"}, {"type": "OTHER", "name": "No-Induction"}],
              conditions=["Kidney Transplant Rejection"],
              summary="Induction therapy with IL-2 receptor antagonist (IL2-RA) is recommended as a first line agent "
                      "in low immunological risk kidney transplant recipients.")
    check(s, "receptor-antibody", "Basiliximab", "armsInterventionsModule.interventions[0].name")


def test_receptor_antibody_daclizumab_from_its_description():
    # Blood 2004;104(5):1559: "Daclizumab is a humanized monoclonal antibody against the interleukin 2 (IL-2)
    # receptor expressed on activated T lymphocytes."
    s = study([{"type": "BIOLOGICAL", "name": "Anti-GVHD antibody",
                "description": "a humanized monoclonal antibody against the interleukin 2 (IL-2) receptor expressed "
                               "on activated T lymphocytes."}], conditions=["Graft Versus Host Disease"])
    check(s, "receptor-antibody", "antibody against the interleukin 2 (IL-2) receptor")
    named = study([{"type": "BIOLOGICAL", "name": "Daclizumab"}])
    check(named, "receptor-antibody", "Daclizumab")


def test_receptor_antibody_inolimomab():
    # portalrecerca.uab.cat (Biol Blood Marrow Transplant 2013): "inolimomab, an anti-interleukin-2 receptor
    # monoclonal antibody, as salvage therapy"
    s = study([{"type": "DRUG", "name": "Inolimomab",
                "description": "inolimomab, an anti-interleukin-2 receptor monoclonal antibody, as salvage therapy"}],
              conditions=["Acute Graft Versus Host Disease"])
    check(s, "receptor-antibody", "Inolimomab", "armsInterventionsModule.interventions[0].name")
    text_only = study([{"type": "DRUG", "name": "Salvage antibody",
                        "description": "an anti-interleukin-2 receptor monoclonal antibody, as salvage therapy"}])
    check(text_only, "receptor-antibody", "anti-interleukin-2 receptor")


def test_fusion_toxin_denileukin_diftitox():
    # cancer.gov NCI Drug Dictionary (CdrID 42325): "A cytotoxic recombinant protein consisting of interleukin-2
    # (IL-2) protein sequences fused to diphtheria toxin." Synonyms "DAB389IL-2", brand "ONTAK".
    s = study([{"type": "BIOLOGICAL", "name": "Denileukin diftitox", "otherNames": ["ONTAK", "DAB389IL-2"],
                "description": "A cytotoxic recombinant protein consisting of interleukin-2 (IL-2) protein sequences "
                               "fused to diphtheria toxin."}], conditions=["Psoriasis"])
    check(s, "fusion-toxin", "Denileukin diftitox", "armsInterventionsModule.interventions[0].name")
    by_text = study([{"type": "BIOLOGICAL", "name": "Fusion protein",
                      "description": "A cytotoxic recombinant protein consisting of interleukin-2 (IL-2) protein "
                                     "sequences fused to diphtheria toxin."}])
    check(by_text, "fusion-toxin")
    # BMC Cancer 11:515: "DAB/IL2 (12 μg/kg; 4 daily doses; 21 day cycles)"
    check(study([{"type": "DRUG", "name": "DAB/IL2"}]), "fusion-toxin", "DAB/IL2")
    check(study([{"type": "DRUG", "name": "E7777"}]), "fusion-toxin", "E7777")


def test_cell_therapy_with_il2_only_in_manufacture():
    # NCT01210664 (clinicaltrials.gov/ct2/show/NCT01210664): IL-2 is used to expand the cells in the laboratory;
    # no participant is given IL-2.
    s = study([{"type": "BIOLOGICAL", "name": "Ex vivo Expanded Human Autologous Polyclonal Regulatory T Cells",
                "description": "The researchers will multiply/expand the Tregs in the laboratory using anti-CD3/"
                               "anti-CD28 coated beads plus IL-2. Then, the Tregs will be infused back into the "
                               "patient in a single infusion. The first cohort will receive 0.05 x10^8 cells."}],
              [{"label": "Polyclonal Regulatory T Cells",
                "description": "Patients with Type 1 Diabetes Mellitus will have their regulatory T cells (Tregs) "
                               "isolated by researchers and receive Ex vivo Expanded Human Autologous Polyclonal "
                               "Regulatory T Cells by infusion"}], conditions=["Type 1 Diabetes Mellitus"])
    check(s, "cell-therapy", "Regulatory T Cells", "armsInterventionsModule.interventions[0].name")


def test_not_given_il2_only_measured():
    # fitforthem.unipa.it (chronic hepatitis B pilot): "Serum concentrations of interleukin-1 (IL-1), IL-2, IL-6,
    # interferon-alfa (IFN- α ), IFN- γ , tumor necrosis factor- α (TNF- α ) and GM-CSF ... were assayed"
    s = study([{"type": "DRUG", "name": "repaglinide"}],
              outcomes=["Serum concentrations of interleukin-1 (IL-1), IL-2, IL-6, interferon-alfa (IFN- α ), IFN- γ , "
                        "tumor necrosis factor- α (TNF- α ) and GM-CSF"])
    d = check(s, "not-given", path="outcomesModule.primaryOutcomes[0].measure")
    assert "IL-2" in (d.quote or "") and "measured" in d.reason


def test_not_given_il2_in_a_diagnostic_test():
    s = study([{"type": "DIAGNOSTIC_TEST", "name": "IL-2", "description": "IL-2 levels in serum"}])
    d = check(s, "not-given", path="armsInterventionsModule.interventions[0].description")
    assert "measured" in d.reason


def test_not_given_when_il2_is_not_named_at_all():
    d = check(study([{"type": "DRUG", "name": "Oxytocin"}]), "not-given")
    assert d.quote is None and "not given" in d.reason


def test_the_summary_breaks_a_tie_only_when_no_intervention_decides():
    # NCT01445561's summary: "Participants will receive one of two possible very low doses of interleukin-2
    # every day for 5 days." with uninformative intervention names.
    summary = "Participants will receive one of two possible very low doses of interleukin-2 every day for 5 days."
    s = study([{"type": "DRUG", "name": "Dose A"}], summary=summary)
    d = check(s, "low-dose", path="descriptionModule.briefSummary")
    assert "no intervention or arm names it" in d.reason
    # A bare "IL-2" in a summary is background: nothing is given.
    bg = study([{"type": "DRUG", "name": "Oxytocin"}],
               summary="Interleukin-2 is a drug that can help stimulate the body s response to inflammation.")
    check(bg, "not-given")


# --- Precedence -------------------------------------------------------------------------------------------

def test_precedence_tables_cover_the_given_categories():
    given = set(CATEGORIES) - {"high-dose", "not-given"}
    assert set(UNIT_PRECEDENCE) == given == set(STUDY_PRECEDENCE)
    assert STUDY_PRECEDENCE[0] == "low-dose"
    assert {w.kind for w in WORDINGS} <= set(CATEGORIES) | {"high-dose-words", "low-dose-words", "measured"}


def test_a_mutein_trial_that_also_measures_il2_is_engineered():
    s = study([{"type": "DRUG", "name": "Efavaleukin Alfa"}],
              outcomes=["Serum concentrations of interleukin-1 (IL-1), IL-2, IL-6"])
    check(s, "engineered", "Efavaleukin Alfa")


def test_tregs_given_with_low_dose_il2_are_low_dose():
    # NCT02772679 (TILT), as the study describes itself (ncbi.nlm.nih.gov/sra SRX11238245): "combining a single
    # infusion of autologous polyclonal Tregs, expanded ex vivo, followed by one or two 5-day courses of
    # recombinant human low dose IL-2 (ld-IL-2) at 0.3 x 10^6 to 1 x 10^6 units/dose."
    text = ("combining a single infusion of autologous polyclonal Tregs, expanded ex vivo, followed by one or two "
            "5-day courses of recombinant human low dose IL-2 (ld-IL-2) at 0.3 x 10^6 to 1 x 10^6 units/dose.")
    s = study([{"type": "BIOLOGICAL", "name": "Polyclonal Tregs"}],
              [{"label": "Tregs plus IL-2", "description": text}], conditions=["Type 1 Diabetes"])
    d = check(s, "low-dose")
    assert d.path is not None and d.path.startswith("armsInterventionsModule.armGroups[0]")


def test_basiliximab_background_beside_aldesleukin_is_low_dose():
    # GVHD prophylaxis with basiliximab in every arm, aldesleukin as the studied drug (real names, both arms'
    # wording from NCT02739412 and NCT04404127 above).
    s = study([{"type": "DRUG", "name": "Basiliximab"},
               {"type": "DRUG", "name": "Aldesleukin",
                "description": "IL-2 (Interleukin-2; Aldesleukin; Proleukin) administered daily as a single "
                               "subcutaneous injection 0.30 MIU per meter squared body surface area"}],
              conditions=["Graft Versus Host Disease"])
    check(s, "low-dose", "Aldesleukin", "armsInterventionsModule.interventions[1].name")


def test_within_one_intervention_the_specific_agent_beats_il2_words():
    # The efavaleukin description names IL-2 and IL-2Rα; basiliximab's names the IL-2 receptor.
    s = study([{"type": "DRUG", "name": "Basiliximab",
                "description": "The chimaeric monoclonal antibody basiliximab specifically binds the alpha subunit of "
                               "the interleukin-2 (IL-2) receptor on activated T lymphocytes."}])  # Drugs 1999;57:207
    check(s, "receptor-antibody", "Basiliximab")


def test_high_dose_words_beside_low_dose_words_stay_low_dose():
    s = study([{"type": "DRUG", "name": "Aldesleukin",
                "description": "low-dose IL-2, unlike high-dose IL-2 given every 8 hours in cancer"}])
    check(s, "low-dose", "Aldesleukin")


# --- Reviewed decisions -----------------------------------------------------------------------------------

def _toml(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "portfolio.toml"
    p.write_text('interventions = ["IL-2"]\nconditions = ["lupus"]\n' + body, encoding="utf-8")
    return p


def test_reviewed_decision_overrides_the_classifier(tmp_path):
    quote = "The researchers will multiply/expand the Tregs in the laboratory"
    p = _toml(tmp_path, f'''
[[decision]]
nct_id = "NCT01210664"
include = false
category = "cell-therapy"
reason = "Tregs expanded with IL-2 in the laboratory; no IL-2 is given to participants."
quote = "{quote}"
''')
    reviewed = load_reviewed(p)
    assert set(reviewed) == {"NCT01210664"}
    s = study([{"type": "DRUG", "name": "IL-2", "description": quote + " using beads plus IL-2."}], nct="NCT01210664")
    assert classify(s).category == "low-dose"  # the classifier alone reads "IL-2" as a drug name
    d = decide(s, reviewed)
    assert (d.included, d.category, d.source) == (False, "cell-therapy", "reviewed")
    assert d.quote == quote and d.path == "armsInterventionsModule.interventions[0].description"
    _check_quote(s, d)
    other = study([{"type": "DRUG", "name": "Aldesleukin"}], nct="NCT02739412")
    assert decide(other, reviewed) == classify(other)


def test_reviewed_quote_not_in_the_record_has_no_path(tmp_path):
    p = _toml(tmp_path, '[[decision]]\nnct_id = "NCT00000001"\ninclude = true\ncategory = "low-dose"\n'
                        'reason = "Read from the publication."\nquote = "not in the record"\n')
    d = decide(study([{"name": "Drug"}], nct="NCT00000001"), load_reviewed(p))
    assert d.included and d.path is None and d.quote == "not in the record"


@pytest.mark.parametrize(("body", "field"), [
    ('[[decision]]\nnct_id = "NCT123"\ninclude = true\ncategory = "low-dose"\nreason = "r"\n', "decision[0].nct_id"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclude = "yes"\ncategory = "low-dose"\nreason = "r"\n',
     "decision[0].include"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclude = true\ncategory = "lowdose"\nreason = "r"\n',
     "decision[0].category"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclude = true\ncategory = "low-dose"\n', "decision[0].reason"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclude = true\ncategory = "low-dose"\nreason = "r"\nquote = 3\n',
     "decision[0].quote"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclued = true\ncategory = "low-dose"\nreason = "r"\n',
     "decision[0].inclued"),
    ('[[decision]]\nnct_id = "NCT00000001"\ninclude = true\ncategory = "low-dose"\nreason = "r"\n'
     '[[decision]]\nnct_id = "NCT00000001"\ninclude = false\ncategory = "not-given"\nreason = "r"\n',
     "decision[1].nct_id"),
    ('decision = "all"\n', "decision"),
    ('[[decision]\n', "toml"),
])
def test_bad_reviewed_entries_name_file_entry_and_field(tmp_path, body, field):
    with pytest.raises(SourceError) as err:
        load_reviewed(_toml(tmp_path, body))
    assert err.value.file == "portfolio.toml" and err.value.field == field
    assert "portfolio.toml" in str(err.value) and field in str(err.value)


def test_the_repository_portfolio_file_loads_and_keeps_the_sync_query():
    from trialdb.registry.sync import portfolio_term

    assert load_reviewed(ROOT / "seed_data" / "portfolio.toml") == {}
    assert portfolio_term(ROOT / "seed_data").startswith("AREA[InterventionSearch](")


def test_seed_decision_stays_in():
    d = seed_decision("NCT02465580")
    assert d == Decision("NCT02465580", True, "low-dose", d.reason, None, None, "seed") and d.reason


# --- The real registry records of the fixtures -------------------------------------------------------------

def _fixture_studies():
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("NCT*.json"))]
    out += json.loads((FIXTURES / "search_page_phelan.json").read_text(encoding="utf-8"))["studies"]
    return out


def test_real_fixture_records_give_no_il2():
    # Read by hand: repaglinide (NCT00763412), GET73 (NCT03418623), a coronary stent (NCT03475563), food
    # texture (NCT05594173), oxytocin, growth hormone, IGF-1, AMO-01 and a genetic study (search page): none
    # gives or measures IL-2. The classifier says so, with no quote, and none needs a reviewed decision.
    decisions = {d.nct_id: d for d in map(classify, _fixture_studies())}
    assert set(decisions) == {"NCT00763412", "NCT03418623", "NCT03475563", "NCT05594173", "NCT02710084",
                              "NCT05105685", "NCT01525901", "NCT03493607", "NCT07119606"}
    for d in decisions.values():
        assert (d.category, d.included, d.quote, d.path, d.source) == ("not-given", False, None, None, "classifier")


def test_a_record_without_modules_is_not_refused():
    assert classify({}).category == "not-given"
    assert classify({"protocolSection": {"armsInterventionsModule": {"interventions": [None, {"name": 3}]}}}
                    ).category == "not-given"


# --- The prefilter (trialdb/portfolio/prefilter.py): the same hits as searching every text with every wording ------------

SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"  # the fixtures shared between the project's worktrees


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (k, *_strings(v))]
    return [s for v in node for s in _strings(v)] if isinstance(node, list) else []


def _corpus() -> list[str]:
    """Every string of every JSON fixture (tests/fixtures/, ../shared/fixtures/), every line of the seed documents
    and every string constant of the tests (the real registry wordings above among them)."""
    import ast

    files = sorted((ROOT / "tests" / "fixtures").rglob("*.json"))
    assert files
    texts = [s for p in [*files, *sorted(SHARED_FIXTURES.rglob("*.json"))]
             for s in _strings(json.loads(p.read_text(encoding="utf-8")))]
    texts += [line for p in sorted((ROOT / "seed_data").glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]
    texts += [n.value for p in sorted((ROOT / "tests").glob("test_*.py"))
              for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
              if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    return texts


def test_the_prefilter_gives_the_hits_of_every_search_over_every_fixture_text():
    from trialdb.portfolio.classifier import _COMPILED, _hits, _Text

    texts = sorted({v for text in _corpus() for v in (text, text.upper(), text.swapcase())})
    matched = 0
    for is_name in (True, False):
        units = [_Text(f"p{i}", text, is_name, "w") for i, text in enumerate(texts)]
        expected = {t.path: [(w, m.group(0)) for w, rx, _ in _COMPILED if not (w.scope == "name" and not is_name)
                             and (m := rx.search(t.text)) is not None and m.group(0).strip()] for t in units}
        matched += sum(map(len, expected.values()))
        for i in range(0, len(units), 3):  # a few texts a call, as a record's unit gives them
            group = units[i : i + 3]
            want = [(t.path, w, q) for t in group for w, q in expected[t.path]]
            assert [(h.path, h.wording, h.quote) for h in _hits(group)] == want, [t.text for t in group]
            assert [(h.path, h.wording, h.quote) for h in _hits(group, ("measured", "low-dose-words"))] == [
                x for x in want if x[1].kind in ("measured", "low-dose-words")]
    assert matched > 1000  # the corpus holds the wordings, not only texts that match none


def test_the_prefilter_reads_every_wording_and_its_case_folding_holds_for_every_character():
    import re
    import sys

    from trialdb.portfolio import prefilter
    from trialdb.portfolio.classifier import _COMPILED

    assert all(needles for _, _, needles in _COMPILED)  # each wording has strings to test first (the speed)
    chars = {c for _, _, needles in _COMPILED for strings in needles for s in strings for c in s}
    assert not chars & set("σςΣ")  # str.lower() of Σ depends on its neighbours
    every = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)
    for c in chars:
        assert c == c.lower()
        # Every character the search takes for `c` lowercases to `c`, but the ones fold() leaves to the search.
        assert {x for x in re.findall(re.escape(c), every, re.IGNORECASE) if x.lower() != c} <= prefilter.UNFOLDED, c
    assert prefilter.fold("İL-2") is None and prefilter.fold("Il-2 ſ") is None and prefilter.fold("IL-2") == "il-2"


@pytest.mark.parametrize(("pattern", "text"), [("xİ", "xi"), ("µg", "μg"), ("[βx]", "ϐ"), ("ﬅ", "ﬆ"), ("Ω", "ω"),
                                               ("K", "K"), ("ſ-2", "s-2")])
def test_a_pattern_character_outside_ascii_is_never_a_required_string(pattern, text):
    """A future wording may hold a character whose case-insensitive matches str.lower() does not give (İ matches
    i; µ matches μ): the prefilter must not turn such a match away (a review's counterexample, xİ against xi)."""
    import re

    from trialdb.portfolio import prefilter

    assert re.search(pattern, text, re.IGNORECASE)
    folded = prefilter.fold(text)
    assert folded is None or prefilter.holds(prefilter.needles(pattern), folded)


@pytest.mark.parametrize("index", range(len(WORDINGS)))
def test_the_prefilter_passes_every_string_a_wording_matches(index):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from trialdb.portfolio import prefilter
    from trialdb.portfolio.classifier import _COMPILED

    _, rx, needles = _COMPILED[index]

    @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(rx))
    def passes(text: str) -> None:
        assert rx.search(text)
        folded = prefilter.fold(text)
        assert folded is None or prefilter.holds(needles, folded), (text, needles)

    passes()
