"""The mentorship API: one router that each part of the module adds its operations to."""

from ninja import Router

router = Router(tags=["mentorship"])
