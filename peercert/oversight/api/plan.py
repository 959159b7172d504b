"""oversight: the plan part's API routes."""

from ninja import Router

router = Router()
