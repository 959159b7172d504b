"""Demo data for oversight, one module per part."""

from peercert.oversight.demo import dashboards, plan, reports


def seed(stdout) -> None:
    plan.seed(stdout)
    reports.seed(stdout)
    dashboards.seed(stdout)
