"""Saving an openpyxl workbook without leaving an open zip file behind.

``Workbook.save`` opens a ``ZipFile`` and closes it only when every part was
written. When a write fails (a full disk), the archive stays open until the
garbage collector finds it; ``ZipFile.__del__`` then tries to finish the file,
fails again on the same full disk and Python prints "Exception ignored in
ZipFile.__del__" on stderr — after the user has already been told the clear
message. Here the archive is closed on every path; a half-written file is
discarded by the caller (``desktop.files.write_atomically``) anyway.
"""

from __future__ import annotations

import contextlib
import datetime
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def save_workbook(wb: Workbook, path: str | Path) -> None:
    """What ``wb.save(path)`` does, closing the file whatever fails."""
    with open(path, "wb") as handle:
        archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        try:
            wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
            ExcelWriter(wb, archive).write_data()
        except BaseException:
            # Closing writes the zip's directory, which may fail again on the same full
            # disk; ZipFile.close forgets its file even then, so nothing is left to
            # __del__. The caller discards the half-written file.
            with contextlib.suppress(Exception):
                archive.close()
            raise
        archive.close()
