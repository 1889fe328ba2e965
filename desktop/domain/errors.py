"""Errors meant for the person at the PC, in both of the app's languages."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can understand and act on; never shown as a traceback."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ja = message_ja
        self.message_en = message_en

    def message(self, lang: str = "ja") -> str:
        return self.message_ja if lang == "ja" else self.message_en
