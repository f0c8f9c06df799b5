"""Indications and disease areas: the one table of the immune-mediated diseases where low-dose IL-2 is
tried, with their codes, names, MeSH descriptors, areas and (for the seeded three) colours.

A trial's indication comes from its first condition: by its wording, or by the MeSH descriptor the
registry itself mapped it to (`derivedSection.conditionBrowseModule`), so "Lupus Erythematosus, Systemic"
and "SLE" are one indication. An unknown condition still becomes an indication of its own, named by its
MeSH descriptor where the registry gives one (so "Interstitial Lung Disease" and "Lung Diseases,
Interstitial" are one), else by its wording; it is never dropped. Its area comes from the MeSH tree
(the descriptor's ancestors), else it is "other".

MeSH ids are written as API v2 writes them: D and nine digits (MeSH's D008180 is D000008180 there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def mesh_id(uid: str) -> str:
    """A MeSH descriptor id in the API's nine-digit form ("D008180" -> "D000008180")."""
    m = re.fullmatch(r"([A-Z])0*(\d+)", uid.strip())
    return f"{m.group(1)}{int(m.group(2)):09d}" if m else uid.strip()


@dataclass(frozen=True)
class Area:
    code: str  # URL-safe, as it appears in ?area=...
    name: str
    # MeSH descriptors whose descendants belong to this area (checked in AREAS order: first match wins).
    mesh_ancestors: tuple[str, ...]


# Seven areas. Order matters: a disease under two branches of the MeSH tree (SLE is a connective tissue
# disease and, through its skin forms, a skin disease) goes to the first area that claims it.
AREAS: tuple[Area, ...] = (
    Area("transplant", "Transplantation and GVHD", tuple(mesh_id(u) for u in ("D006086", "D006084"))),  # GVHD, rejection
    # Rheumatic diseases, connective tissue diseases, vasculitis.
    Area("rheumatology", "Rheumatology", tuple(mesh_id(u) for u in ("D012216", "D003240", "D014657"))),
    Area("dermatology", "Dermatology", tuple(mesh_id(u) for u in ("D012871", "D006201"))),  # skin, hair diseases
    Area("gastroenterology", "Gastroenterology and hepatology", (mesh_id("D004066"),)),  # digestive system diseases
    Area("endocrinology", "Endocrinology and metabolism",
         tuple(mesh_id(u) for u in ("D004700", "D044882"))),  # endocrine diseases, glucose metabolism disorders
    Area("neurology", "Neurology", tuple(mesh_id(u) for u in ("D009422", "D019636"))),  # nervous system, neurodegenerative
    Area("other", "Other", ()),
)
# "Autoimmune Diseases" (D001327) sits under rheumatology only as a last resort: checked after the others.
_LAST_RESORT = {mesh_id("D001327"): "rheumatology"}
AREA_BY_CODE = {a.code: a for a in AREAS}
OTHER = "other"


@dataclass(frozen=True)
class Indication:
    code: str  # URL-safe, as it appears in ?indication=...
    name: str
    area: str
    mesh_ids: tuple[str, ...] = ()
    # Lower-case condition wordings that mean this indication (MeSH term names match too).
    synonyms: tuple[str, ...] = ()
    colour: str | None = None  # fixed for the seeded three; the theme assigns the others


def _ind(code: str, name: str, area: str, mesh: Iterable[str], synonyms: Iterable[str] = (),
         colour: str | None = None) -> Indication:
    return Indication(code, name, area, tuple(mesh_id(u) for u in mesh), tuple(synonyms), colour)


INDICATIONS: tuple[Indication, ...] = (
    # The seeded three (Okabe-Ito blue, orange, green): the same colours as every chart has used.
    _ind("SLE", "Systemic lupus erythematosus", "rheumatology", ("D008180", "D008181"),
         ("systemic lupus erythematosus", "sle", "lupus", "lupus nephritis"), "#0072B2"),
    _ind("RA", "Rheumatoid arthritis", "rheumatology", ("D001172",), ("rheumatoid arthritis", "ra"), "#E69F00"),
    _ind("pSS", "Primary Sjögren's syndrome", "rheumatology", ("D012859",),
         ("primary sjögren's syndrome", "primary sjogren's syndrome", "sjögren's syndrome", "sjogren's syndrome",
          "sjögren syndrome", "sjogren syndrome", "pss"), "#009E73"),
    # Rheumatology
    _ind("SSc", "Systemic sclerosis", "rheumatology", ("D012595",), ("systemic sclerosis", "scleroderma")),
    _ind("PsA", "Psoriatic arthritis", "rheumatology", ("D015535",), ("psoriatic arthritis",)),
    _ind("AS", "Ankylosing spondylitis", "rheumatology", ("D013167",),
         ("ankylosing spondylitis", "axial spondyloarthritis")),
    _ind("JIA", "Juvenile idiopathic arthritis", "rheumatology", ("D001171",), ("juvenile idiopathic arthritis",)),
    _ind("BD", "Behçet's disease", "rheumatology", ("D001528",),
         ("behçet's disease", "behcet's disease", "behcet disease", "behçet syndrome", "behcet syndrome")),
    _ind("TAK", "Takayasu arteritis", "rheumatology", ("D013625",), ("takayasu arteritis", "takayasu's arteritis")),
    _ind("GCA", "Giant cell arteritis", "rheumatology", ("D013700",), ("giant cell arteritis",)),
    _ind("GPA", "Granulomatosis with polyangiitis", "rheumatology", ("D014890",),
         ("granulomatosis with polyangiitis", "wegener's granulomatosis")),
    _ind("IIM", "Idiopathic inflammatory myopathy", "rheumatology", ("D003882", "D017285", "D009220"),
         ("dermatomyositis", "polymyositis", "myositis", "idiopathic inflammatory myopathy")),
    _ind("APS", "Antiphospholipid syndrome", "rheumatology", ("D016736",), ("antiphospholipid syndrome",)),
    _ind("CryoVas", "HCV-induced cryoglobulinaemic vasculitis", "rheumatology", ("D003449",),
         ("cryoglobulinemia", "cryoglobulinaemia", "hcv-induced vasculitis", "cryoglobulinemic vasculitis")),
    # Endocrinology
    _ind("T1D", "Type 1 diabetes", "endocrinology", ("D003922",),
         ("type 1 diabetes", "type 1 diabetes mellitus", "diabetes mellitus, type 1", "t1d")),
    _ind("GD", "Graves' disease", "endocrinology", ("D006111",), ("graves' disease", "graves disease")),
    _ind("HT", "Hashimoto's thyroiditis", "endocrinology", ("D050031",),
         ("hashimoto's thyroiditis", "hashimoto disease", "autoimmune thyroiditis")),
    # Neurology
    _ind("ALS", "Amyotrophic lateral sclerosis", "neurology", ("D000690",), ("amyotrophic lateral sclerosis", "als")),
    _ind("MS", "Multiple sclerosis", "neurology", ("D009103",), ("multiple sclerosis", "ms")),
    _ind("AD", "Alzheimer's disease", "neurology", ("D000544",), ("alzheimer's disease", "alzheimer disease")),
    _ind("PD", "Parkinson's disease", "neurology", ("D010300",), ("parkinson's disease", "parkinson disease")),
    _ind("MG", "Myasthenia gravis", "neurology", ("D009157",), ("myasthenia gravis",)),
    _ind("NMOSD", "Neuromyelitis optica spectrum disorder", "neurology", ("D009471",),
         ("neuromyelitis optica", "neuromyelitis optica spectrum disorder", "nmosd")),
    # Transplantation and GVHD
    _ind("GVHD", "Graft-versus-host disease", "transplant", ("D006086",),
         ("graft versus host disease", "graft-versus-host disease", "graft vs host disease", "gvhd",
          "chronic graft versus host disease", "chronic gvhd", "acute gvhd")),
    _ind("TxR", "Transplant rejection and tolerance", "transplant", ("D006084",),
         ("graft rejection", "kidney transplant rejection", "transplant rejection", "liver transplantation",
          "kidney transplantation")),
    # Dermatology
    _ind("AA", "Alopecia areata", "dermatology", ("D000506",), ("alopecia areata",)),
    _ind("PsO", "Psoriasis", "dermatology", ("D011565",), ("psoriasis", "plaque psoriasis")),
    _ind("AtD", "Atopic dermatitis", "dermatology", ("D003876",), ("atopic dermatitis", "atopic eczema")),
    _ind("PV", "Pemphigus", "dermatology", ("D010392",), ("pemphigus", "pemphigus vulgaris")),
    _ind("BP", "Bullous pemphigoid", "dermatology", ("D010391",), ("bullous pemphigoid",)),
    _ind("Vit", "Vitiligo", "dermatology", ("D014820",), ("vitiligo",)),
    _ind("HS", "Hidradenitis suppurativa", "dermatology", ("D017497",), ("hidradenitis suppurativa",)),
    # Gastroenterology and hepatology
    _ind("UC", "Ulcerative colitis", "gastroenterology", ("D003093",), ("ulcerative colitis", "colitis, ulcerative")),
    _ind("CD", "Crohn's disease", "gastroenterology", ("D003424",), ("crohn's disease", "crohn disease")),
    _ind("AIH", "Autoimmune hepatitis", "gastroenterology", ("D019693",), ("autoimmune hepatitis",)),
    _ind("PBC", "Primary biliary cholangitis", "gastroenterology", ("D008105",),
         ("primary biliary cholangitis", "primary biliary cirrhosis")),
    _ind("PSC", "Primary sclerosing cholangitis", "gastroenterology", ("D015209",),
         ("primary sclerosing cholangitis",)),
    # Other immune-mediated or inflammatory diseases where low-dose IL-2 is tried
    _ind("CAD", "Coronary artery disease", "other", ("D003324", "D054058"),
         ("coronary artery disease", "acute coronary syndrome", "ischemic heart disease")),
    _ind("ITP", "Immune thrombocytopenia", "other", ("D016553",),
         ("immune thrombocytopenia", "idiopathic thrombocytopenic purpura", "itp")),
    _ind("COVID", "COVID-19", "other", ("D000086382",), ("covid-19", "covid19", "sars-cov-2 infection")),
    _ind("Asthma", "Asthma", "other", ("D001249",), ("asthma",)),
)
BY_CODE = {i.code: i for i in INDICATIONS}
_BY_MESH = {u: i for i in INDICATIONS for u in i.mesh_ids}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("´", "'").replace("’", "'")).strip().lower()


_BY_WORDING = {s: i for i in INDICATIONS for s in (*i.synonyms, _fold(i.name))}


@dataclass(frozen=True)
class Match:
    """The indication of one condition, and how it was found (for the fact's provenance)."""

    indication: Indication
    how: str  # "wording" | "mesh" | "new"
    mesh: Mapping[str, Any] | None = None  # the registry's MeSH entry {"id": ..., "term": ...} when used
    mesh_index: int | None = None  # its index in derivedSection.conditionBrowseModule.meshes


def condition_mesh(condition: str, browse: Mapping[str, Any] | None) -> tuple[int, Mapping[str, Any]] | None:
    """The MeSH descriptor the registry mapped `condition` to: the browse leaf whose `asFound` is the whole
    condition, else the longest `asFound` within it that covers at least half of it, then the descriptor
    of that leaf's name in `meshes`. None when the registry gives none."""
    if not browse:
        return None
    folded = _fold(condition)
    best: tuple[int, str] | None = None
    for leaf in browse.get("browseLeaves") or []:
        found, name = leaf.get("asFound"), leaf.get("name")
        if not isinstance(found, str) or not isinstance(name, str):
            continue
        f = _fold(found)
        if f == folded:
            best = (len(folded) + 1, name)  # a whole match beats any partial one
        elif f and f in folded and 2 * len(f) >= len(folded) and (best is None or len(f) > best[0]):
            best = (len(f), name)
    if best is None:
        return None
    for i, mesh in enumerate(browse.get("meshes") or []):
        if isinstance(mesh, Mapping) and _fold(str(mesh.get("term", ""))) == _fold(best[1]):
            return i, mesh
    return None


def area_for(mesh_ids: Sequence[str]) -> str:
    """The area of a disease from its MeSH descriptor and ancestors (the registry's tree), else "other"."""
    ids = {mesh_id(u) for u in mesh_ids}
    for area in AREAS:
        if ids.intersection(area.mesh_ancestors):
            return area.code
    for u, code in _LAST_RESORT.items():
        if u in ids:
            return code
    return OTHER


def match_condition(condition: str, browse: Mapping[str, Any] | None = None) -> Match:
    """The indication of a condition (see the module's docstring); `browse` is the study's
    `derivedSection.conditionBrowseModule`, when the record has one."""
    folded = _fold(condition)
    if folded in _BY_WORDING:
        return Match(_BY_WORDING[folded], "wording")
    found = condition_mesh(condition, browse)
    if found is not None:
        index, mesh = found
        uid = mesh_id(str(mesh.get("id", "")))
        if uid in _BY_MESH:
            return Match(_BY_MESH[uid], "mesh", mesh, index)
    for ind in INDICATIONS:  # "Lupus Nephritis, Class IV" or "Systemic Lupus Erythematosus, Refractory"
        if any(len(s) > 3 and s in folded for s in ind.synonyms):
            return Match(ind, "wording")
    if found is not None:
        index, mesh = found
        uid, term = mesh_id(str(mesh.get("id", ""))), str(mesh.get("term", "")).strip()
        ancestors = [str(a.get("id", "")) for a in (browse or {}).get("ancestors") or [] if isinstance(a, Mapping)]
        return Match(Indication(term[:40], term, area_for([uid, *ancestors]), (uid,), (_fold(term),)),
                     "mesh", mesh, index)
    name = condition.strip()
    ancestors = [str(a.get("id", "")) for a in (browse or {}).get("ancestors") or [] if isinstance(a, Mapping)]
    return Match(Indication(name[:40], name, area_for(ancestors), (), (folded,)), "new")


def indication_for(condition: str, browse: Mapping[str, Any] | None = None) -> Indication:
    """The indication a condition names; an unknown condition becomes its own indication."""
    return match_condition(condition, browse).indication


def area_of(code: str) -> Area:
    """The area of a known indication code ("other" for codes not in the table)."""
    ind = BY_CODE.get(code)
    return AREA_BY_CODE[ind.area if ind else OTHER]
