"""Integrity's API routes, one module per part, under one router."""

from ninja import Router

from peercert.integrity.api import overpayments, reviews, utilization

router = Router(tags=["integrity"])
router.add_router("", utilization.router)
router.add_router("", overpayments.router)
router.add_router("", reviews.router)
