"""API: the signed-in person's notifications and their email settings."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from ninja import Router, Schema
from ninja.pagination import paginate

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.notifications.categories import Delivery
from impactcircle.notifications.models import Notification
from impactcircle.notifications.selectors import (
    CategoryDelivery,
    delivery_preferences_for,
    notifications_for,
    unread_count_for,
)
from impactcircle.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    category: str
    message: str
    link: str
    actor_name: str | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_actor_name(notification: Notification) -> str | None:
        return notification.actor.display_name if notification.actor is not None else None


class UnreadCountOut(Schema):
    unread: int


class MarkedReadOut(Schema):
    marked_read: int


class PreferenceOut(Schema):
    category: str
    label: str
    description: str
    delivery: Delivery
    default_delivery: Delivery
    is_default: bool


class PreferenceIn(Schema):
    delivery: Delivery


def _preference_out(item: CategoryDelivery) -> PreferenceOut:
    return PreferenceOut(
        category=item.category.key,
        label=item.category.label,
        description=item.category.description,
        delivery=item.delivery,
        default_delivery=item.category.default_delivery,
        is_default=item.is_default,
    )


@router.get("/", response=list[NotificationOut])
@paginate
def list_notifications(
    request: AuthenticatedRequest, unread: bool = False
) -> QuerySet[Notification]:
    """Your notifications, newest first; `unread=true` for the unread ones only."""
    return notifications_for(request.user, unread_only=unread)


@router.get("/unread-count", response=UnreadCountOut)
def unread_count(request: AuthenticatedRequest) -> UnreadCountOut:
    return UnreadCountOut(unread=unread_count_for(request.user))


@router.post("/read-all", response=MarkedReadOut)
def mark_all_read(request: AuthenticatedRequest) -> MarkedReadOut:
    return MarkedReadOut(marked_read=notifications_mark_all_read(user=request.user))


@router.post("/{notification_id}/read", response=NotificationOut)
def mark_read(request: AuthenticatedRequest, notification_id: int) -> Notification:
    """Mark one of your notifications read; anyone else's answers 404."""
    return notification_mark_read(user=request.user, notification_id=notification_id)


@router.get("/preferences", response=list[PreferenceOut])
def list_preferences(request: AuthenticatedRequest) -> list[PreferenceOut]:
    """How you hear about each category (immediate, daily, weekly or off)."""
    return [_preference_out(item) for item in delivery_preferences_for(request.user)]


@router.put("/preferences/{category}", response=PreferenceOut)
def set_preference(
    request: AuthenticatedRequest, category: str, payload: PreferenceIn
) -> PreferenceOut:
    """Choose how you hear about one category; an unknown category answers 404."""
    return _preference_out(
        preference_set(
            user=request.user,
            category=category,
            delivery=payload.delivery,
            request=request,
        )
    )
