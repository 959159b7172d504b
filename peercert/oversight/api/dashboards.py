"""oversight: the dashboards part's API routes."""

from ninja import Router

router = Router()
