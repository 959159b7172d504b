"""Demo data for integrity, one module per part."""

from peercert.integrity.demo import overpayments, reviews, utilization


def seed(stdout) -> None:
    utilization.seed(stdout)
    overpayments.seed(stdout)
    reviews.seed(stdout)
