"""Indications: the disease a trial treats, a first-class filter. One place for codes and names."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Indication:
    code: str
    name: str
    # Lower-case condition wordings that mean this indication.
    synonyms: tuple[str, ...]


INDICATIONS: tuple[Indication, ...] = (
    Indication("SLE", "Systemic lupus erythematosus", ("systemic lupus erythematosus", "sle", "lupus")),
    Indication("RA", "Rheumatoid arthritis", ("rheumatoid arthritis", "ra")),
    Indication("pSS", "Primary Sjögren's syndrome",
               ("primary sjögren's syndrome", "primary sjogren's syndrome", "sjögren's syndrome",
                "sjogren's syndrome", "sjögren syndrome", "sjogren syndrome", "pss")),
)
BY_CODE = {i.code: i for i in INDICATIONS}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("´", "'").replace("’", "'")).strip().lower()


def indication_for(condition: str) -> Indication:
    """The indication a condition names; an unknown condition becomes its own indication."""
    folded = _fold(condition)
    for ind in INDICATIONS:
        if folded in ind.synonyms:
            return ind
    for ind in INDICATIONS:  # "Lupus Nephritis" or "Systemic Lupus Erythematosus, Refractory"
        if any(len(s) > 3 and s in folded for s in ind.synonyms):
            return ind
    return Indication(condition.strip()[:40], condition.strip(), (folded,))
