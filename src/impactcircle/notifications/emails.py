"""The notification emails: plain text, each with unsubscribe links for its categories.

Each builder returns the keyword arguments of `core.tasks.send_email` (plain values only).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from impactcircle.accounts.models import User
from impactcircle.notifications.categories import get_category
from impactcircle.notifications.models import Notification
from impactcircle.notifications.unsubscribe import unsubscribe_url

_SUBJECT_PREFIX = "[ImpactCircle] "


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _one_line(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe that POSTs to the URL.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def immediate_email(*, notification: Notification, recipient: User) -> dict[str, object]:
    category = get_category(notification.category)
    unsubscribe = unsubscribe_url(user_id=recipient.pk, category=category.key)
    body = render_to_string(
        "notifications/email/immediate.txt",
        {
            "recipient": recipient,
            "category": category,
            "message": notification.message,
            "link": _absolute(notification.link),
            "preferences_url": _absolute(reverse("notification_preferences")),
            "unsubscribe_url": unsubscribe,
        },
    )
    return {
        "subject": _SUBJECT_PREFIX + f"{category.label}: {_one_line(notification.message)}",
        "body": body,
        "to": [recipient.email],
        "from_email": None,
        "headers": _unsubscribe_headers(unsubscribe),
    }


def digest_email(
    *, recipient: User, frequency_label: str, notifications: Sequence[Notification]
) -> dict[str, object]:
    """One email listing the notices by category; notifications come ordered by category."""
    sections = []
    for key, items in groupby(notifications, key=lambda notification: notification.category):
        category = get_category(key)
        sections.append(
            {
                "category": category,
                "items": [
                    {"message": item.message, "link": _absolute(item.link), "at": item.created_at}
                    for item in items
                ],
                "unsubscribe_url": unsubscribe_url(user_id=recipient.pk, category=key),
            }
        )
    body = render_to_string(
        "notifications/email/digest.txt",
        {
            "recipient": recipient,
            "frequency_label": frequency_label,
            "sections": sections,
            "count": len(notifications),
            "centre_url": _absolute(reverse("notification_list")),
            "preferences_url": _absolute(reverse("notification_preferences")),
        },
    )
    count = len(notifications)
    noun = "notification" if count == 1 else "notifications"
    headers = None
    if len(sections) == 1:  # one header can name one category's link only
        headers = _unsubscribe_headers(str(sections[0]["unsubscribe_url"]))
    return {
        "subject": f"{_SUBJECT_PREFIX}Your {frequency_label.lower()} digest: {count} unread {noun}",
        "body": body,
        "to": [recipient.email],
        "from_email": None,
        "headers": headers,
    }
