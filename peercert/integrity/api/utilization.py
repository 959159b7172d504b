"""integrity: the utilization part's API routes."""

from ninja import Router

router = Router()
