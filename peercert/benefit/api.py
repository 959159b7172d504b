"""The benefit's API: credential status of employed peers, for county EHRs."""

from ninja import Router

router = Router(tags=["benefit"])
