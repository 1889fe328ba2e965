"""PlanDesk: business plans, progress reports and KPIs for branch offices."""

__version__ = "0.1.0"
