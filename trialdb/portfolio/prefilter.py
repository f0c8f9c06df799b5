"""A cheap necessary condition for a case-insensitive regular expression: lowercase strings that every
match contains, to test a text for (`in`, a fast substring search) before running the expensive search.

Why (issue 21): the portfolio classifier searches 40 case-insensitive wordings in every intervention, arm
and description of a record, 1.3 MB of text at 1,000 synced records; most wordings match almost nowhere,
and a substring test on the lowercased text costs a small part of a search.

`needles(pattern)` reads the pattern as Python's own parser gives it (`re._parser`, CPython's internals)
and gives a list of sets of strings: a text can match only if, for each set, it holds one of its strings.
A run of literal characters (ASCII, or without case: `_plain`), small character classes of them ([- ]), optional parts (?) and alternations of such
are spelled out into every string they can match (at most `LIMIT` a run), zero-width assertions (\\b,
lookarounds) add nothing to a run; an alternation of anything else gives, per branch, that branch's best
set; a repeat of at least once, or a group, is looked into. Anything not understood gives nothing, so a
pattern this cannot read is simply always searched.

`fold(text)` is what the strings are tested against: `text.lower()`, except None for a text holding one of
the three characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower()` does not give
that letter (İ, ı, ſ): such a text is searched without the test. tests/test_portfolio.py checks that
claim over every Unicode character, and the test against the search over every fixture's text.
"""

from __future__ import annotations

import re
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]
from typing import Any

LIMIT = 32  # strings spelled out for one run at most
UNFOLDED = frozenset("İıſ")  # matched case-insensitively to i, i and s; str.lower() gives other letters
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)

Needles = tuple[frozenset[str], ...]


def needles(pattern: str) -> Needles:
    """Sets of lowercase strings such that every match of `pattern` (compiled with re.IGNORECASE) holds one
    string of each set; the most selective set first. Empty when nothing is known (search always)."""
    sets = _sequence(list(_sre_parse.parse(pattern, re.IGNORECASE)))
    return tuple(sorted(set(sets), key=lambda s: (-min(map(len, s)), len(s), sorted(s))))


def fold(text: str) -> str | None:
    """The text the needles are looked for in (`text.lower()`), or None when it cannot be used (see the
    module's docstring): then the text is searched whatever its needles."""
    if not text.isascii() and not UNFOLDED.isdisjoint(text):
        return None
    return text.lower()


def holds(sets: Needles, folded: str) -> bool:
    """Whether `folded` (a `fold` result) holds a string of every set: False means no match is possible."""
    return all(any(s in folded for s in strings) for strings in sets)


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    return max(sets, key=lambda s: (min(map(len, s)), -len(s)), default=None)


def _plain(code: int) -> bool:
    """Whether a pattern's character can be spelled: ASCII, or a character without case (万, –). Others may match,
    under re.IGNORECASE, characters str.lower() does not give (İ matches i, though "İ".lower() is two characters;
    µ matches μ): a pattern holding one is searched without that part's strings."""
    c = chr(code)
    return code < 128 or c.lower() == c == c.upper()


def _spelled(op: Any, av: Any) -> set[str] | None:
    """Every string (lowercase) the item can match, or None when they are not few."""
    if op is _sre.LITERAL:
        return {chr(av).lower()} if _plain(av) else None
    if op in _ZERO_WIDTH:
        return {""}
    if op is _sre.IN:
        return {chr(a).lower() for _, a in av} if all(o is _sre.LITERAL and _plain(a) for o, a in av) else None
    if op is _sre.SUBPATTERN:
        return _spelled_sequence(av[3])
    if op is _sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            strings = _spelled_sequence(branch)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= LIMIT else None
    if op in _REPEATS and av[1] == 1:  # x? (or x{1})
        strings = _spelled_sequence(av[2])
        return None if strings is None else strings | ({""} if av[0] == 0 else set())
    return None


def _spelled_sequence(items: Any) -> set[str] | None:
    out = {""}
    for op, av in items:
        strings = _spelled(op, av)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > LIMIT:
            return None
    return out


def _sequence(items: Any) -> list[frozenset[str]]:
    """The necessary sets of a sequence of items: each run spelled out, and those of the items within."""
    sets: list[frozenset[str]] = []
    run = {""}

    def close() -> None:
        if "" not in run:  # a string holding another of the set adds nothing: keep the shorter
            sets.append(frozenset(s for s in run if not any(t != s and t in s for t in run)))

    for op, av in items:
        strings = _spelled(op, av)
        if strings is not None:
            longer = {a + b for a in run for b in strings}
            if len(longer) <= LIMIT:
                run = longer
                continue
            close()
            run = strings if len(strings) <= LIMIT else {""}
            continue
        close()
        run = {""}
        if op is _sre.BRANCH:
            best = [_best(_sequence(branch)) for branch in av[1]]
            if all(b is not None for b in best):
                sets.append(frozenset().union(*(b for b in best if b is not None)))
        elif op is _sre.SUBPATTERN:
            sets += _sequence(av[3])
        elif op in _REPEATS and av[0] >= 1:
            sets += _sequence(av[2])
        elif op is _sre.ATOMIC_GROUP:
            sets += _sequence(av)
    close()
    return sets
