from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from tests.factories import ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Programme
from impactcircle.mentorship.policies import programme_managers

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(is_superuser=True, is_staff=True)


def test_a_question_added_by_a_manager_appears_on_the_application_form(
    client: Client, manager: User, user: User
) -> None:
    programme = ProgrammeFactory(managers=[manager])
    client.force_login(manager)
    client.post(
        f"/mentoring/programmes/{programme.pk}/questions/",
        {"side": "mentee", "text": "Which SDG moves you most?", "is_required": "on"},
    )
    client.force_login(user)

    form = client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
    refused = client.post(
        f"/mentoring/programmes/{programme.pk}/apply/mentee/",
        {"mentee-work_start_hour": 8, "mentee-work_end_hour": 17},
    )

    assert "Which SDG moves you most?" in form
    assert refused.status_code == 422
    assert not programme.applications.exists()


def test_invited_people_see_an_invitation_only_programme(
    client: Client, manager: User, user: User
) -> None:
    programme = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[manager])
    client.force_login(manager)

    client.post(
        f"/mentoring/programmes/{programme.pk}/invitations/",
        {"emails": f"{user.email}\nnobody@example.com"},
    )

    client.force_login(user)
    assert client.get(f"/mentoring/programmes/{programme.pk}/").status_code == 200


def test_repeating_a_programme_makes_a_new_cohort(client: Client, manager: User) -> None:
    programme = ProgrammeFactory(managers=[manager], name="Reverse mentoring")
    programme.questions.create(side="mentor", text="What will you teach?")
    opens = programme.enrolment_opens_on + timedelta(days=180)
    client.force_login(manager)

    response = client.post(
        f"/mentoring/programmes/{programme.pk}/repeat/", {"enrolment_opens_on": opens.isoformat()}
    )

    cohort = Programme.objects.exclude(pk=programme.pk).get()
    assert response.status_code == 302
    assert cohort.previous_cohort == programme
    assert cohort.enrolment_opens_on == opens
    assert cohort.ends_on == programme.ends_on + timedelta(days=180)
    assert list(cohort.questions.values_list("text", flat=True)) == ["What will you teach?"]
    assert manager in programme_managers(cohort)


def test_members_cannot_change_a_programmes_setup(signed_in_client: Client, manager: User) -> None:
    programme = ProgrammeFactory(managers=[manager])
    base = f"/mentoring/programmes/{programme.pk}"  # open: a member may know it exists (403)

    assert (
        signed_in_client.post(f"{base}/questions/", {"side": "mentee", "text": "x"}).status_code
        == 403
    )
    assert (
        signed_in_client.post(f"{base}/invitations/", {"emails": "a@example.com"}).status_code
        == 403
    )
    assert (
        signed_in_client.post(f"{base}/repeat/", {"enrolment_opens_on": "2030-01-01"}).status_code
        == 403
    )
    assert not programme.questions.exists()
    assert Programme.objects.count() == 1


def test_an_invitation_only_programme_is_404_to_outsiders(
    signed_in_client: Client, manager: User
) -> None:
    programme = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[manager])
    base = f"/mentoring/programmes/{programme.pk}"

    assert signed_in_client.get(f"{base}/manage/").status_code == 404
    assert (
        signed_in_client.post(f"{base}/questions/", {"side": "mentee", "text": "x"}).status_code
        == 404
    )
    assert not programme.questions.exists()


def test_inviting_tells_each_new_invitee_once(client: Client, manager: User) -> None:
    from impactcircle.notifications.models import Notification

    programme = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[manager])
    invitee = UserFactory(email="lea@example.com")
    client.force_login(manager)
    for _ in range(2):
        client.post(
            f"/mentoring/programmes/{programme.pk}/invitations/",
            {"emails": "LEA@example.com, nobody@example.com"},
        )

    assert programme.invitations.filter(user=invitee).count() == 1
    told = Notification.objects.filter(recipient=invitee, category="mentoring")
    assert [n.message for n in told] == [f"You are invited to apply to {programme.name}."]


@pytest.mark.parametrize("applicants", [2, 20])
def test_the_manage_page_lists_applications_in_bounded_queries(
    client: Client, manager: User, applicants: int, django_assert_max_num_queries
) -> None:
    from tests.factories import ApplicationFactory

    programme = ProgrammeFactory(managers=[manager])
    for _ in range(applicants):
        ApplicationFactory(programme=programme, status="submitted")
    client.force_login(manager)

    with django_assert_max_num_queries(16):
        page = client.get(f"/mentoring/programmes/{programme.pk}/manage/")

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('class="decision-form"') == applicants
    assert "Add question" in body


def test_managers_invite_by_email_through_the_api(client: Client, manager: User) -> None:
    from tests.factories import bearer

    programme = ProgrammeFactory(access=Programme.Access.INVITATION, managers=[manager])
    invitee = UserFactory(email="noor@example.com")
    url = f"/api/v1/mentoring/programmes/{programme.pk}/invitations"
    body = {"emails": ["Noor@example.com", "ghost@example.com"]}

    first = client.post(url, body, content_type="application/json", headers=bearer(manager))
    again = client.post(url, body, content_type="application/json", headers=bearer(manager))
    outsider = client.post(url, body, content_type="application/json", headers=bearer(invitee))

    assert first.json() == {"invited": 1, "unknown": ["ghost@example.com"]}
    assert again.json()["invited"] == 0
    assert outsider.status_code == 403  # invited, so they see the programme; they do not manage it
    assert programme.invitations.filter(user=invitee).count() == 1
