"""Words of a query: which ones count, how they are matched, and how they are marked in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from django.utils.html import escape

MAX_TERMS = 12
MAX_TERM_LENGTH = 40
WORD = re.compile(r"[^\W_]+")
_STOPWORD_TEXT = """
a about above after again all also am an and any are as at be been before being below between
both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its just me more most my no nor not of off on
once only or other our ours out over own same she should so some such than that the their theirs
them then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours know knows knowing someone anyone
people person find looking
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A word's Snowball English stem: what the index ranks by, and what highlights match, so
    'reducing' and 'reduce' meet in both."""
    return str(_stemmer.stemWord(word))


@dataclass(frozen=True)
class QueryTerms:
    """The searchable words of a query: lower case, letters and digits only, no stop words."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> QueryTerms:
        seen: list[str] = []
        for word in WORD.findall(text.lower()):
            word = word[:MAX_TERM_LENGTH]
            if word in STOPWORDS or word in seen:
                continue
            seen.append(word)
            if len(seen) == MAX_TERMS:
                break
        return cls(tuple(seen))

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(stem(word) for word in self.words)

    def matches(self, text: str) -> bool:
        roots = self.roots
        return any(
            word.startswith(roots) or stem(word).startswith(roots)
            for word in WORD.findall(text.lower())
        )

    def excerpt(self, text: str, width: int = 120) -> str:
        """`text`, or about `width` characters of it around the first matched word."""
        if len(text) <= width:
            return text
        roots = self.roots
        start = 0
        for found in WORD.finditer(text):
            word = found.group().lower()
            if word.startswith(roots) or stem(word).startswith(roots):
                start = found.start()
                break
        begin = max(0, start - width // 3)
        end = min(len(text), begin + width)
        prefix = "…" if begin > 0 else ""
        suffix = "…" if end < len(text) else ""
        return f"{prefix}{text[begin:end].strip()}{suffix}"

    def mark(self, text: str) -> str:
        """`text` HTML-escaped, with every matched word wrapped in <mark>."""
        roots = self.roots
        out: list[str] = []
        position = 0
        for found in WORD.finditer(text):
            word = found.group().lower()
            if word.startswith(roots) or stem(word).startswith(roots):
                out.append(escape(text[position : found.start()]))
                out.append(f"<mark>{escape(found.group())}</mark>")
                position = found.end()
        out.append(escape(text[position:]))
        return "".join(out)
