"""Reads about notifications. Every read of someone's notifications takes that person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from impactcircle.accounts.models import User
from impactcircle.core.errors import InvalidInput, NotFound
from impactcircle.notifications.categories import (
    Delivery,
    NotificationCategory,
    get_category,
    is_registered_category,
    registered_categories,
)
from impactcircle.notifications.models import DigestDelivery, Notification, NotificationPreference
from impactcircle.notifications.unsubscribe import read_unsubscribe_token

# A digest never reaches further back than this, even for someone who never had one before (or
# who just switched a category on): old unread notices are for the notification centre.
DIGEST_LOOKBACK = {
    DigestDelivery.Frequency.DAILY: timedelta(days=2),
    DigestDelivery.Frequency.WEEKLY: timedelta(days=8),
}


@dataclass(frozen=True)
class CategoryDelivery:
    """How a person hears about one category, and whether that is the category's default."""

    category: NotificationCategory
    delivery: Delivery
    is_default: bool


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """This person's notifications, newest first, with their actors."""
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def unread_count_for(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_for(user: User, category: str) -> Delivery:
    """The person's delivery for a registered category (ValueError for an unknown one)."""
    definition = get_category(category)
    chosen = (
        NotificationPreference.objects.filter(user=user, category=category)
        .values_list("delivery", flat=True)
        .first()
    )
    return Delivery(chosen) if chosen else definition.default_delivery


def delivery_preferences_for(user: User) -> list[CategoryDelivery]:
    """Every registered category with the person's delivery for it, in one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user=user).values_list("category", "delivery")
    )
    return [
        CategoryDelivery(
            category=category,
            delivery=Delivery(chosen[category.key]) if category.key in chosen
            else category.default_delivery,
            is_default=category.key not in chosen,
        )
        for category in registered_categories()
    ]  # fmt: skip


def _wants_digest(frequency: str) -> Q:
    """Notifications whose recipient's delivery for their category is this digest frequency."""
    preference = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), category=OuterRef("category")
    )
    defaulting = [c.key for c in registered_categories() if c.default_delivery == frequency]
    return Q(Exists(preference.filter(delivery=frequency))) | (
        Q(category__in=defaulting) & ~Q(Exists(preference))
    )


def _digest_pending() -> QuerySet[Notification]:
    return Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)


def digest_recipient_ids(*, frequency: str, since: datetime, until: datetime) -> list[int]:
    """Active people with unread, not yet emailed notices for this digest, in one query."""
    return list(
        _digest_pending()
        .filter(_wants_digest(frequency), created_at__gt=since, created_at__lte=until)
        .filter(recipient__is_active=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def digest_window_start(*, user: User, frequency: str, now: datetime) -> datetime:
    """Since when a digest for this person gathers: their last one of this kind, at most the
    look-back period ago."""
    earliest = now - DIGEST_LOOKBACK[DigestDelivery.Frequency(frequency)]
    last = (
        DigestDelivery.objects.filter(user=user, frequency=frequency)
        .order_by("-covered_until")
        .values_list("covered_until", flat=True)
        .first()
    )
    return max(last, earliest) if last else earliest


def digest_notifications_for(
    *, user: User, frequency: str, since: datetime, until: datetime
) -> QuerySet[Notification]:
    """The person's still-unread, not yet emailed notices that belong in this digest."""
    return (
        _digest_pending()
        .filter(recipient=user, created_at__gt=since, created_at__lte=until)
        .filter(_wants_digest(frequency))
        .order_by("category", "created_at", "id")
    )


@dataclass(frozen=True)
class UnsubscribeTarget:
    user: User
    category: NotificationCategory


def unsubscribe_target(token: str) -> UnsubscribeTarget:
    """Whom and which category a signed unsubscribe link names.

    A token we did not sign is InvalidInput; one naming a person who is gone or a category no
    longer offered is NotFound.
    """
    wanted = read_unsubscribe_token(token)
    if wanted is None:
        raise InvalidInput("This unsubscribe link is not valid. It may have been cut short.")
    user = User.objects.filter(pk=wanted.user_id, is_active=True).first()
    if user is None or not is_registered_category(wanted.category):
        raise NotFound("This unsubscribe link no longer applies.")
    return UnsubscribeTarget(user=user, category=get_category(wanted.category))
