"""Oversight's API routes, one module per part, under one router."""

from ninja import Router

from peercert.oversight.api import dashboards, plan, reports

router = Router(tags=["oversight"])
router.add_router("", plan.router)
router.add_router("", reports.router)
router.add_router("", dashboards.router)
