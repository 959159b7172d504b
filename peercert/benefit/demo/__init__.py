"""Demo data for the county side: providers and employments, then rates and authorities, then webhooks."""

from peercert.benefit.demo import alerts, rates, workforce

# For the sign-in table seed_demo prints.
SIGN_INS = [(workforce.COUNTY_SIGN_IN, "County staff of Fresno: a second county beside Los Angeles")]


def seed(stdout) -> None:
    workforce.seed(stdout)
    rates.seed(stdout)
    alerts.seed(stdout)
