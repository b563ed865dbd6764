"""Publishing a run: the worker creates every relationship and tells everyone, in few queries."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict
from impactcircle.core.models import AuditEvent
from impactcircle.mentorship.matching.publishing import run_publish_execute
from impactcircle.mentorship.matching.services import run_publish
from impactcircle.mentorship.models import (
    MatchingRun,
    Programme,
    ProposedMatch,
    Relationship,
    RelationshipMember,
)
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(first_name="Mara", last_name="Manager")


def _draft(manager: User, pairs: int) -> MatchingRun:
    programme = ProgrammeFactory(managers=[manager])
    run = MatchingRun.objects.create(programme=programme, number=1, mode="optimal", status="draft")
    ProposedMatch.objects.bulk_create(
        [
            ProposedMatch(
                run=run,
                mentee=ApplicationFactory(programme=programme, side="mentee"),
                mentor=ApplicationFactory(programme=programme, side="mentor"),
                score=80.0,
                reasons=["Both care about climate action"],
            )
            for _ in range(pairs)
        ]
    )
    return run


@pytest.mark.parametrize("pairs", [4, 40])
def test_the_worker_publishes_any_number_of_pairs_in_the_same_few_queries(
    manager: User, pairs: int, django_assert_max_num_queries, django_capture_on_commit_callbacks
) -> None:
    run = _draft(manager, pairs)
    with django_capture_on_commit_callbacks(execute=False):
        run_publish(actor=manager, run=run)

    with django_assert_max_num_queries(17), django_capture_on_commit_callbacks():
        published = run_publish_execute(run.pk, manager.pk)

    assert published.status == MatchingRun.Status.PUBLISHED
    assert published.progress == 100
    assert Relationship.objects.filter(source_run=run).count() == pairs
    assert RelationshipMember.objects.filter(relationship__source_run=run).count() == 2 * pairs
    assert Notification.objects.filter(category="mentoring").count() == 2 * pairs
    assert AuditEvent.objects.filter(action="matching.run_published").count() == 1


def test_publishing_waits_for_the_worker_and_the_page_shows_it(
    client: Client, manager: User, django_capture_on_commit_callbacks
) -> None:
    run = _draft(manager, 2)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(f"/mentoring/runs/{run.pk}/publish/", {"confirm": "yes"})

    assert response.status_code == 302
    assert len(queued) == 1
    page = client.get(f"/mentoring/runs/{run.pk}/").text
    assert "Publishing" in page
    assert 'hx-trigger="every 2s"' in page
    assert "Publish this matching" not in page
    assert not Relationship.objects.exists()

    queued[0]()  # the worker runs the task
    page = client.get(f"/mentoring/runs/{run.pk}/").text
    assert "Published: 2 relationships started" in page


def test_a_second_publish_is_refused_while_the_first_is_under_way(
    manager: User, django_capture_on_commit_callbacks
) -> None:
    run = _draft(manager, 2)
    with django_capture_on_commit_callbacks(execute=False):
        run_publish(actor=manager, run=run)

    with pytest.raises(Conflict, match="Only a draft"):
        run_publish(actor=manager, run=run)


def test_a_retried_task_publishes_nothing_twice(
    manager: User, django_capture_on_commit_callbacks
) -> None:
    run = _draft(manager, 3)
    with django_capture_on_commit_callbacks(execute=True):
        run_publish(actor=manager, run=run)

    run_publish_execute(run.pk, manager.pk)

    assert Relationship.objects.filter(source_run=run).count() == 3


def test_someone_matched_meanwhile_sends_the_run_back_to_draft(
    manager: User, django_capture_on_commit_callbacks
) -> None:
    run = _draft(manager, 2)
    with django_capture_on_commit_callbacks(execute=False):
        run_publish(actor=manager, run=run)
    taken = run.matches.first()
    assert taken is not None
    relationship = Relationship.objects.create(
        programme=run.programme, status="active", agreement_cadence_days=14
    )
    relationship.members.create(user=taken.mentee.user, side="mentee")

    result = run_publish_execute(run.pk, manager.pk)

    assert result.status == MatchingRun.Status.DRAFT
    assert "matched meanwhile" in result.error
    assert not Relationship.objects.filter(source_run=run).exists()


def test_only_managers_publish(other_user: User, manager: User) -> None:
    run = _draft(manager, 1)
    assert Programme.objects.get(pk=run.programme_id)
    from impactcircle.core.errors import Forbidden

    with pytest.raises(Forbidden):
        run_publish(actor=other_user, run=run)
