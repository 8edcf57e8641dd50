"""Full-text search that understands inflected Finnish and Swedish.

PostgreSQL's snowball stemmers alone fail Finnish inflection (diabeteksesta -> diabeteks, but
diabetes -> diabetes). So every word is searched as three lexemes in a `simple` tsvector: the
word itself, its dictionary lemma (simplemma) and its snowball stem (the same algorithm
PostgreSQL ships, for names the lemmatizer does not know). A query term matches when any of its
lexemes does. Presentations are indexed the same way, except that a word the lemmatizer knows
is indexed without its stem (indexed_lexemes). The query follows PostgreSQL's websearch
syntax: words are ANDed, "quoted phrases", `or`, and `-word` to exclude.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma
import snowballstemmer

WORD = re.compile(r"\w+", re.UNICODE)
QUERY_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
STEMMERS = {"fi": snowballstemmer.stemmer("finnish"), "sv": snowballstemmer.stemmer("swedish")}
# Words too common to narrow a search; a query of only these finds nothing, with a message.
STOP_WORDS = frozenset(
    [
        "ja",
        "tai",
        "on",
        "ei",
        "se",
        "että",
        "kun",
        "niin",
        "mutta",
        "myös",
        "sekä",
        "kanssa",
        "och",
        "eller",
        "är",
        "inte",
        "som",
        "att",
        "med",
        "för",
        "en",
        "ett",
        "the",
        "and",
        "or",
        "of",
    ]
)


@lru_cache(maxsize=50_000)
def lexemes(word: str, language: str) -> tuple[str, ...]:
    """The word, its lemma and its stem, lower-cased and without duplicates."""
    word = word.lower()
    lemma = simplemma.lemmatize(word, lang=language).lower()
    stem = STEMMERS[language].stemWord(word)
    return tuple(dict.fromkeys((word, lemma, stem)))


@lru_cache(maxsize=50_000)
def indexed_lexemes(word: str, language: str) -> tuple[str, ...]:
    """What a word of a presentation is indexed as: the word and its lemma, and its stem only
    when the lemmatizer does not know the word (names, rare words) for a query word's stem to
    meet. A known word's stem would only repeat its lemma's long posting list, and every query
    for the word would read both."""
    word = word.lower()
    if not simplemma.is_known(word, lang=language):
        return lexemes(word, language)
    return tuple(dict.fromkeys((word, simplemma.lemmatize(word, lang=language).lower())))


def document(texts: dict[str, list[str]]) -> str:
    """The text to index with to_tsvector('simple', ...): every lexeme of every word.

    `texts` maps a language ("fi", "sv") to the texts written in it.
    """
    out = []
    for language, parts in texts.items():
        for part in parts:
            for word in WORD.findall(part or ""):
                out.extend(indexed_lexemes(word, language))
    return " ".join(out)


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("'", "''").replace("\\", "") + "'"


def _term(word: str) -> str:
    options = dict.fromkeys(lexemes(word, "fi") + lexemes(word, "sv"))
    return "(" + " | ".join(_quote(option) for option in options) + ")"


def to_tsquery(text: str) -> str | None:
    """A to_tsquery('simple', ...) expression for a websearch-style query, or None when the
    query has no searchable words (only stop words or symbols)."""
    groups: list[str] = []
    pending_or = False
    for token in QUERY_TOKEN.findall(text or ""):
        negate = token.startswith("-") and len(token) > 1
        body = token[1:] if negate else token
        if body.lower() == "or" and not negate:
            pending_or = bool(groups)
            continue
        words = [w for w in WORD.findall(body) if w.lower() not in STOP_WORDS]
        if not words:
            continue
        joiner = " <-> " if body.startswith('"') else " & "
        expression = joiner.join(_term(word) for word in words)
        if len(words) > 1:
            expression = f"({expression})"
        if negate:
            expression = f"!{expression}"
        if pending_or and groups:
            groups[-1] = f"({groups[-1]} | {expression})"
        else:
            groups.append(expression)
        pending_or = False
    return " & ".join(groups) if groups else None
