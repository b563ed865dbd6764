"""Every write about notifications: sending one, reading, delivery choices, digests.

Any module tells a person something with `notify(recipient=…, category=…, message=…, link=…)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import batched

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import InvalidInput, NotFound
from impactcircle.core.tasks import enqueue_on_commit, send_email, send_emails
from impactcircle.notifications.categories import Delivery, get_category, is_registered_category
from impactcircle.notifications.emails import digest_email, immediate_email
from impactcircle.notifications.models import DigestDelivery, Notification, NotificationPreference
from impactcircle.notifications.selectors import (
    CategoryDelivery,
    delivery_for,
    digest_notifications_for,
    digest_window_start,
    unsubscribe_target,
)

MESSAGE_MAX_LENGTH = 2000
LINK_MAX_LENGTH = 500


def _checked_link(link: str) -> str:
    """A path on this site: starts with one "/", no scheme, no host, no control characters."""
    if not isinstance(link, str) or not link.startswith("/") or link.startswith(("//", "/\\")):
        raise ValueError(f"A notification link must be a path on this site like /people/: {link!r}")
    if len(link) > LINK_MAX_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in link):
        raise ValueError(f"A notification link must be a short path without spaces; {link!r}")
    return link


def _checked_message(message: str) -> str:
    text = message.strip() if isinstance(message, str) else ""
    if not text:
        raise ValueError("A notification needs a message.")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValueError(f"A notification message has at most {MESSAGE_MAX_LENGTH} characters.")
    return text


def notify(
    *,
    recipient: User,
    category: str,
    message: str,
    link: str,
    actor: AbstractBaseUser | None = None,
) -> Notification:
    """Tell `recipient` something: an in-app notification, and an email if they want it now.

    `message` is plain text (escaped wherever shown); `link` is a site-relative path. An unknown
    category, an empty message or a link off this site raise ValueError: they are the caller's
    bug. The email is queued when the surrounding transaction commits; "daily"/"weekly" leave it
    for the digest; "off" sends none.
    """
    get_category(category)
    text = _checked_message(message)
    path = _checked_link(link)
    emails_now = (
        delivery_for(recipient, category) == Delivery.IMMEDIATE
        and recipient.is_active
        and bool(recipient.email)
    )
    notification = Notification.objects.create(
        recipient=recipient,
        actor_id=actor.pk if actor is not None else None,
        category=category,
        message=text,
        link=path,
        emailed_at=timezone.now() if emails_now else None,
    )
    if emails_now:
        enqueue_on_commit(
            send_email, **immediate_email(notification=notification, recipient=recipient)
        )
    return notification


@dataclass(frozen=True)
class Notice:
    """One person's notification in a `notify_many` call."""

    recipient: User
    message: str
    link: str


#: Rows per INSERT, people per preferences query, and emails per sending task.
_BULK_ROWS = 1000
_PEOPLE_PER_QUERY = 5000
# 100 emails a task: one mail connection each, and short enough that interactive work (which a
# worker takes before the next bulk task) never waits long behind one (bench/queues).
_EMAILS_PER_TASK = 100


def notify_many(
    *, category: str, notices: Sequence[Notice], actor: AbstractBaseUser | None = None
) -> list[Notification]:
    """`notify` for one action that reaches many people, in a bounded number of queries.

    One preferences query per 5,000 people, one INSERT per 1,000 notifications, and one email
    task per 100 immediate emails (queued on commit), however many people are told.
    """
    definition = get_category(category)
    checked = [
        (notice.recipient, _checked_message(notice.message), _checked_link(notice.link))
        for notice in notices
    ]
    people = sorted({recipient.pk for recipient, _, _ in checked})
    chosen: dict[int, str] = {}
    for chunk in batched(people, _PEOPLE_PER_QUERY):
        chosen.update(
            NotificationPreference.objects.filter(category=category, user_id__in=chunk).values_list(
                "user_id", "delivery"
            )
        )
    now = timezone.now()

    def emails_now(recipient: User) -> bool:
        delivery = Delivery(chosen[recipient.pk]) if recipient.pk in chosen else None
        return (
            (delivery or definition.default_delivery) == Delivery.IMMEDIATE
            and recipient.is_active
            and bool(recipient.email)
        )

    rows = [
        Notification(
            recipient=recipient,
            actor_id=actor.pk if actor is not None else None,
            category=category,
            message=text,
            link=path,
            emailed_at=now if emails_now(recipient) else None,
        )
        for recipient, text, path in checked
    ]
    created = Notification.objects.bulk_create(rows, batch_size=_BULK_ROWS)
    emails = [
        immediate_email(notification=notification, recipient=notification.recipient)
        for notification in created
        if notification.emailed_at is not None
    ]
    for batch in batched(emails, _EMAILS_PER_TASK):
        enqueue_on_commit(send_emails, messages=list(batch))
    return created


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the person's own notifications read; someone else's is NotFound."""
    notification = (
        Notification.objects.select_related("actor")
        .filter(recipient=user, pk=notification_id)
        .first()
    )
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now, updated_at=now
        )
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; how many changed."""
    now = timezone.now()
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


@transaction.atomic
def preference_set(
    *,
    user: User,
    category: str,
    delivery: str,
    request: HttpRequest | None = None,
    via: str = "settings",
) -> CategoryDelivery:
    """Choose how the person hears about one category; audited when it changes."""
    if not is_registered_category(category):
        raise NotFound("No such notification category.")
    if delivery not in Delivery.values:
        raise InvalidInput(
            "Choose how to be told.",
            fields={"delivery": [f"Choose one of: {', '.join(Delivery.values)}."]},
        )
    definition = get_category(category)
    mine = NotificationPreference.objects.select_for_update().filter(user=user, category=category)
    existing = mine.first()
    created = False
    if existing is None:
        try:
            with transaction.atomic():
                NotificationPreference.objects.create(
                    user=user, category=category, delivery=delivery
                )
            created = True
        except IntegrityError:  # a double click saved the first choice a moment ago
            existing = mine.get()
    previous = Delivery(existing.delivery) if existing else definition.default_delivery
    if existing is not None and existing.delivery != delivery:
        existing.delivery = delivery
        existing.save(update_fields=["delivery", "updated_at"])
    if previous != delivery or created:
        record_audit_event(
            action="notifications.preference_changed",
            actor=user,
            target=user,
            request=request,
            details={
                "category": category,
                "delivery": delivery,
                "previous": previous.value,
                "via": via,
            },
        )
    return CategoryDelivery(category=definition, delivery=Delivery(delivery), is_default=False)


def unsubscribe_by_token(*, token: str, request: HttpRequest | None = None) -> CategoryDelivery:
    """Turn off email for the one category and person a signed link names.

    Errors as `selectors.unsubscribe_target`. No other category changes.
    """
    target = unsubscribe_target(token)
    return preference_set(
        user=target.user,
        category=target.category.key,
        delivery=Delivery.OFF,
        request=request,
        via="unsubscribe_link",
    )


def digest_period(*, frequency: str, moment: datetime) -> str:
    """The period a digest stands for: the day (2026-11-25) or ISO week (2026-W48) of `moment`
    in its own time zone (pass the person's local time)."""
    if frequency == DigestDelivery.Frequency.DAILY:
        return moment.date().isoformat()
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def digest_send(
    *, user_id: int, frequency: str, period: str, now: datetime | None = None
) -> DigestDelivery | None:
    """Email one person their still-unread notices for a daily or weekly digest, once.

    Nothing is sent when there is nothing unread. The DigestDelivery row (unique per person,
    frequency and period) is written in the same transaction as the send is queued, so a second
    worker running the same digest at the same moment fails to insert and sends nothing.
    """
    moment = now or timezone.now()
    frequency = DigestDelivery.Frequency(frequency)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return None
    since = digest_window_start(user=user, frequency=frequency, now=moment)
    with transaction.atomic():
        notifications = list(
            digest_notifications_for(user=user, frequency=frequency, since=since, until=moment)
        )
        if not notifications:
            return None
        try:
            with transaction.atomic():
                delivery = DigestDelivery.objects.create(
                    user=user,
                    frequency=frequency,
                    period=period,
                    covered_until=moment,
                    notification_count=len(notifications),
                )
        except IntegrityError:
            return None  # another worker sent this period's digest
        Notification.objects.filter(
            pk__in=[notification.pk for notification in notifications], emailed_at__isnull=True
        ).update(emailed_at=moment)
        enqueue_on_commit(
            send_email,
            **digest_email(
                recipient=user, frequency_label=frequency.label, notifications=notifications
            ),
        )
    return delivery
