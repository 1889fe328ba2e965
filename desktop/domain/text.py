"""Text a person reads, in both of the app's languages.

Messages (refusals, findings, command-line output) are built once with their
Japanese and their English wording side by side, and the language is chosen
only where the text is shown: ``text.get(lang)``. ``Text`` has no plain-string
form on purpose: ``f"{text}"`` or ``print(text)`` raise TypeError instead of
showing both languages (or the wrong one) to a person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    ja: str
    en: str

    @classmethod
    def same(cls, text: str) -> Text:
        """Words that read the same in both languages (a path, a key, a number)."""
        return cls(text, text)

    def get(self, lang: str) -> str:
        """The text in ``lang``: "ja" for Japanese, English for any other."""
        return self.ja if lang == "ja" else self.en

    def __add__(self, other: Text) -> Text:
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.ja + other.ja, self.en + other.en)

    def join(self, parts: Iterable[Text]) -> Text:
        """``parts`` with this text between them, like ``str.join``."""
        items = list(parts)
        return Text(self.ja.join(p.ja for p in items), self.en.join(p.en for p in items))

    def __bool__(self) -> bool:
        return bool(self.ja or self.en)

    def __str__(self) -> str:
        raise TypeError("a Text has two languages: show text.get(lang)")

    def __format__(self, spec: str) -> str:
        raise TypeError("a Text has two languages: format text.ja or text.en")
