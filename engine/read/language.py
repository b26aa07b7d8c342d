"""Which language an invitation is written in, from its words (engine/data/languages.toml).

followup drafts in the language the interview was held in: an invitation written
in French gets a French thank-you. The text is counted word by word against a
short list per language; a language is named only when its words clearly
outnumber every other's, else the rules decide. Pure and linear.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("en", "de", "fr", "nl", "es")
"""The languages followup writes drafts in."""

MIN_WORDS = 3
"""So many of a language's words at least, before a text counts as written in it."""

MAX_TEXT = 20_000
"""Only the start of a long text is counted: a language shows in its first lines."""

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@cache
def vocabulary() -> dict[str, frozenset[str]]:
    """The words of each language, from the packaged list."""
    text = (
        resources.files("followup.engine")
        .joinpath("data/languages.toml")
        .read_text(encoding="utf-8")
    )
    data = tomllib.loads(text)["words"]
    return {language: frozenset(w.casefold() for w in data[language]) for language in LANGUAGES}


def language_of_text(text: str | None) -> str | None:
    """The language a text is written in ("en", "de", "fr", "nl", "es"), or None when
    its words do not say clearly (a short title, a mix)."""
    if not text:
        return None
    counts = dict.fromkeys(LANGUAGES, 0)
    words = vocabulary()
    for word in _WORD.findall(text[:MAX_TEXT].casefold()):
        for language in LANGUAGES:
            if word in words[language]:
                counts[language] += 1
    ranked = sorted(LANGUAGES, key=lambda language: -counts[language])
    best, second = counts[ranked[0]], counts[ranked[1]]
    if best >= MIN_WORDS and best >= 2 * second:
        return ranked[0]
    return None
