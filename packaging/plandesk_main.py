"""The frozen programs' entry point: PlanDesk (windowed) and plandesk-cli (console)
both run the `plandesk` command; without a command it opens the window."""

from desktop.cli import main

raise SystemExit(main())
