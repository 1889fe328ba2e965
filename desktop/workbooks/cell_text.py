"""What an xlsx cell can hold, and how text is stored in one.

Pure functions shared by the writer (which puts text into cells), the page
layout (which decides what the printed cells say) and the cell reader.
"""

from __future__ import annotations

import re

MAX_CELL = 32_767  # Excel's limit, in UTF-16 code units
FORMULA_START = ("=", "+", "-", "@")
# What no xlsx cell can hold: control characters other than tab, newline and
# carriage return (openpyxl raises IllegalCharacterError), U+FFFE/U+FFFF and
# lone surrogates (the XML would be unreadable). Only texts for people can
# contain these; the machine tables escape them (cell_codecs.encode_text).
UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel, LibreOffice and this reader take _xHHHH_ in a stored string for the
# character HHHH (ST_Xstring); a text that contains such a sequence is stored
# with its underscore escaped (_x005F_), so that it comes back as typed.
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)", re.ASCII)
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_", re.ASCII)


def text_length(value: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts twice)."""
    return len(value.encode("utf-16-le", "surrogatepass")) // 2


def printable(value: str) -> str:
    """A text for people as a cell shows it: characters no cell can hold become
    U+FFFD, and line ends are newlines (XML turns a stored \\r\\n into \\n)."""
    value = UNWRITABLE.sub("\ufffd", value)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def store(value: str) -> str:
    """The text as it is written into the XML (see ``unstore``)."""
    return _LOOKS_ESCAPED.sub("_x005F_", value) if "_x" in value else value


def unstore(value: str) -> str:
    """The text a stored string stands for: _xHHHH_ is the character HHHH."""
    if "_x" not in value:
        return value
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
