"""oversight: the reports part's API routes."""

from ninja import Router

router = Router()
