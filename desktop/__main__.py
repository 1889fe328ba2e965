"""`python -m desktop` = the `plandesk` command."""

from desktop.cli import main

raise SystemExit(main())
