"""Whether a quick log describes a need already in the register: a pure rule.

A quick log joins a need only when it is the same need: same theme, same place, and a
matching description. Two descriptions match when their content words overlap enough:

- words are lower-cased, split on anything that is not a letter or digit, with a plural
  "s" dropped ("clubs" is "club", "therapies" is "therapy") and common words left out
  ("no", "for", "the", "wanted");
- the overlap is the words both share divided by all the words either has (Jaccard), and
  it must be at least ``MATCH_THRESHOLD``; a note with no content words matches nothing.

"No lunch club for men" and "Lunch clubs for men wanted" match (lunch, club, men); "No lunch
club for men" and "Nothing on Sundays" do not, nor do "lunch club for men" and "lunch club
for women" (2 of 4). A note is compared with a need's title, its description and the notes
of its earlier logs, and joins the need it matches best. When nothing matches, the link
worker is shown the needs already logged for that theme and place and chooses one, or
starts a new need.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

MATCH_THRESHOLD = 0.6

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "dont",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "lack",
        "lacking",
        "many",
        "me",
        "more",
        "most",
        "much",
        "my",
        "need",
        "needed",
        "needs",
        "nearby",
        "no",
        "none",
        "nor",
        "not",
        "nothing",
        "of",
        "on",
        "or",
        "other",
        "our",
        "out",
        "over",
        "people",
        "person",
        "really",
        "she",
        "should",
        "so",
        "some",
        "someone",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "very",
        "was",
        "wanted",
        "wants",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "without",
        "would",
        "you",
        "your",
    ]
)

_WORD = re.compile(r"[^\W_]+")


Candidate = TypeVar("Candidate")


def need_words(text: str) -> frozenset[str]:
    """The content words of a text, as the matching rule compares them."""
    folded = unicodedata.normalize("NFKD", text or "").casefold().replace("'", "")
    words = set()
    for word in _WORD.findall(folded.replace("\u2019", "")):
        if word in STOP_WORDS:
            continue
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def need_similarity(first: str, second: str) -> float:
    """The share of content words two texts have in common, from 0 to 1."""
    a, b = need_words(first), need_words(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def need_match_score(note: str, texts: Iterable[str]) -> float:
    """How well a note matches a need, given the need's texts: the best of them."""
    return max((need_similarity(note, text) for text in texts if text), default=0.0)


def need_best_match(
    note: str, candidates: Iterable[tuple[Candidate, Iterable[str]]]
) -> Candidate | None:
    """The candidate whose texts match the note best, if any matches; the first on a tie."""
    best, best_score = None, 0.0
    for candidate, texts in candidates:
        score = need_match_score(note, texts)
        if score >= MATCH_THRESHOLD and score > best_score:
            best, best_score = candidate, score
    return best
