"""The `plandesk` command line (split into modules in the next commit)."""

from desktop.cli.reports import build_parser, main

__all__ = ["build_parser", "main"]
