"""integrity: the overpayments part's API routes."""

from ninja import Router

router = Router()
