"""The PDF tests read their pages back with poppler (pdftotext, pdftoppm): CI installs
it (.ci/run); where it is missing they are skipped, saying why."""

from __future__ import annotations

import shutil

import pytest

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
