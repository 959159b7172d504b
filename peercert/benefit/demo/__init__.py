"""Demo data for the county side: providers and employments, then rates and authorities, then webhooks."""

from peercert.benefit.demo import alerts, rates, workforce


def seed(stdout) -> None:
    workforce.seed(stdout)
    rates.seed(stdout)
    alerts.seed(stdout)
