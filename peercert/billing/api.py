"""Billing's API: service batches in, the gate's answer and the clean 837P out."""

from ninja import Router

router = Router(tags=["billing"])
