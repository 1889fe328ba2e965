"""The store's reliability tests fork children and kill them with SIGKILL: POSIX only
(CI runs on Linux; the Windows workflow runs only the packaging tests)."""

from __future__ import annotations

import os

import pytest

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")
