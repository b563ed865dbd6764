"""The mentorship API: one router that each part of the module adds its operations to."""

from ninja import Router

from impactcircle.mentorship.flash.api import router as flash_router
from impactcircle.mentorship.matching.api import router as matching_router
from impactcircle.mentorship.programmes.api import router as programme_router
from impactcircle.mentorship.relationships.api import router as relationship_router
from impactcircle.mentorship.selection.api import router as selection_router

router = Router(tags=["mentorship"])

router.add_router("", programme_router)
router.add_router("", matching_router)
router.add_router("/relationships", relationship_router)
router.add_router("/self-selection", selection_router)
router.add_router("/flash", flash_router)
