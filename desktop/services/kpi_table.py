"""The KPI table of a report (KPI設定項目一覧表) with live achievement.

The logic is pure and lives in ``desktop.domain.kpi_lines`` so that the
workbooks can print the same lines; this module keeps the services' name.
"""

from __future__ import annotations

from desktop.domain.kpi_lines import KpiLine, kpi_lines

__all__ = ["KpiLine", "kpi_lines"]
