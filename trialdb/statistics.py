"""Statistics computed here (never published numbers): derived counts, Wilson intervals for a
proportion and Newcombe's hybrid score interval for a difference of two proportions."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Z95 = 1.959963984540054  # two-sided 95%

WILSON = "Wilson score interval (95%)"
NEWCOMBE = "Newcombe hybrid score interval (method 10), from Wilson intervals (95%)"


def derive_counts(percent: str, max_n: int) -> tuple[int, int] | None:
    """The largest denominator n <= max_n, and its count k, for which 100*k/n rounds (half up) to
    the published percentage at its printed precision; None when no whole count fits."""
    target = Decimal(percent)
    exponent = target.as_tuple().exponent
    if not isinstance(exponent, int):  # "NaN", "Infinity": no printed precision to reproduce
        return None
    step = Decimal(1).scaleb(exponent)
    for n in range(max_n, 0, -1):
        k = round(float(target) * n / 100)
        if 0 <= k <= n:
            frac = Fraction(100 * k, n)
            value = (Decimal(frac.numerator) / Decimal(frac.denominator)).quantize(step, ROUND_HALF_UP)
            if value == target:
                return k, n
    return None


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"no proportion {k}/{n}")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """Risk difference p1 - p2 with its 95% interval (Newcombe 1998, method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, lo, hi
