"""Notification categories: each module registers the kinds of notice it sends.

    register_category(NotificationCategory(
        key="mentorship", label="Mentorship", description="Matches, sessions and goals.",
        default_delivery=Delivery.IMMEDIATE,
    ))

Register in AppConfig.ready(). A person's delivery choice is kept per category; a category they
never chose for uses its `default_delivery`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me straight away"
    DAILY = "daily", "Daily digest email"
    WEEKLY = "weekly", "Weekly digest email"
    OFF = "off", "No email (only here, in the notification centre)"


DIGEST_DELIVERIES = (Delivery.DAILY, Delivery.WEEKLY)


@dataclass(frozen=True)
class NotificationCategory:
    key: str
    label: str
    description: str
    default_delivery: Delivery = Delivery.IMMEDIATE

    def __post_init__(self) -> None:
        if not self.key or not self.key.replace("_", "").isalnum() or not self.key.islower():
            raise ValueError(f"A category key is lower-case letters, digits and _: {self.key!r}")
        if len(self.key) > 50:
            raise ValueError(f"A category key has at most 50 characters: {self.key!r}")


_categories: dict[str, NotificationCategory] = {}


def register_category(category: NotificationCategory) -> None:
    """Add a category. The same key may be registered again only with the same definition."""
    existing = _categories.get(category.key)
    if existing is not None and existing != category:
        raise ValueError(f"The notification category {category.key!r} is already registered.")
    _categories[category.key] = category


def get_category(key: str) -> NotificationCategory:
    """The registered category; ValueError for an unknown key."""
    try:
        return _categories[key]
    except KeyError:
        raise ValueError(f"Unknown notification category {key!r}.") from None


def is_registered_category(key: str) -> bool:
    return key in _categories


def registered_categories() -> list[NotificationCategory]:
    """Every category, in the order modules registered them."""
    return list(_categories.values())
