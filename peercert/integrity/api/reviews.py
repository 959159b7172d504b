"""integrity: the reviews part's API routes."""

from ninja import Router

router = Router()
