"""notify_many: one action that tells many people, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.core import mail
from tests.factories import UserFactory

from impactcircle.accounts.models import User
from impactcircle.notifications.models import Notification
from impactcircle.notifications.services import Notice, notify_many, preference_set

pytestmark = pytest.mark.django_db


def _notices(people: list[User]) -> list[Notice]:
    return [
        Notice(recipient=person, message="You are matched.", link="/mentoring/")
        for person in people
    ]


@pytest.mark.parametrize("size", [3, 60])
def test_telling_many_people_takes_the_same_few_queries(
    size: int, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:
    people = UserFactory.create_batch(size)

    with django_assert_max_num_queries(3), django_capture_on_commit_callbacks() as queued:
        notify_many(category="mentoring", notices=_notices(people))

    assert Notification.objects.filter(category="mentoring").count() == size
    assert len(queued) == 1  # one email task for up to 100 people


def test_each_person_gets_their_own_email_unless_they_chose_otherwise(
    django_capture_on_commit_callbacks,
) -> None:
    eager, quiet = UserFactory(), UserFactory()
    preference_set(user=quiet, category="mentoring", delivery="daily")

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(category="mentoring", notices=_notices([eager, quiet]))

    assert [message.to for message in mail.outbox] == [[eager.email]]
    assert "You are matched." in mail.outbox[0].body
    emailed = {notification.recipient_id: notification.emailed_at for notification in created}
    assert emailed[eager.pk] is not None
    assert emailed[quiet.pk] is None


def test_a_bad_link_refuses_the_whole_batch() -> None:
    person = UserFactory()
    notices = [*_notices([person]), Notice(recipient=person, message="x", link="https://evil")]

    with pytest.raises(ValueError, match="path on this site"):
        notify_many(category="mentoring", notices=notices)
    assert not Notification.objects.exists()
