"""Spreadsheet downloads that cannot run anything when opened."""

from __future__ import annotations

import unicodedata

# A spreadsheet runs a cell that starts with one of these as a formula, also after spaces
# and in their full-width and small forms (＝, ﹦, ＋, －, ＠), which NFKC folds to these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\u2212")


def _runs_as_formula(text: str) -> bool:
    if text.startswith(("\t", "\r", "\n")):
        return True
    first = text.lstrip()[:1]
    return bool(first) and unicodedata.normalize("NFKC", first).startswith(FORMULA_PREFIXES)


def csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, made inert with a leading quote."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value
