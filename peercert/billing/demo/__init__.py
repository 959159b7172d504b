"""Demo data for billing: beneficiaries and eligibility, then service batches through the gate, then claims and remittances."""

from peercert.billing.demo import claims, eligibility, gate


def seed(stdout) -> None:
    eligibility.seed(stdout)
    gate.seed(stdout)
    claims.seed(stdout)
