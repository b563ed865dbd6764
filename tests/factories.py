"""Factories for test data (factory-boy)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import factory
from allauth.account.models import EmailAddress

from impactcircle.accounts.models import User
from impactcircle.accounts.services import access_token_create
from impactcircle.core.access import object_role_grant

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Verified by default, so the person can sign in; pass verified=False to skip."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class NotificationFactory(factory.django.DjangoModelFactory["Notification"]):
    """An in-app notification, written directly (no email); use `notify` to test delivery."""

    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    category = "account"
    message = factory.Sequence(lambda n: f"Something happened ({n})")
    link = "/account/"


class ProgrammeFactory(factory.django.DjangoModelFactory["Programme"]):
    """A one-on-one programme whose enrolment is open today."""

    class Meta:
        model = "mentorship.Programme"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    purpose = "Grow the next CSR leaders."
    enrolment_opens_on = factory.LazyFunction(lambda: date.today() - timedelta(days=7))
    enrolment_closes_on = factory.LazyFunction(lambda: date.today() + timedelta(days=7))
    starts_on = factory.LazyFunction(lambda: date.today() + timedelta(days=8))
    ends_on = factory.LazyFunction(lambda: date.today() + timedelta(days=200))

    @factory.post_generation
    def managers(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`ProgrammeFactory(managers=[person])` makes them the programme's managers."""
        if create and extracted:
            from impactcircle.mentorship.policies import PROGRAMME_MANAGER

            for person in extracted:
                object_role_grant(role=PROGRAMME_MANAGER, obj=self, user=person, granted_by=None)


class ApplicationFactory(factory.django.DjangoModelFactory["Application"]):
    """An accepted application, working 08–17 UTC."""

    class Meta:
        model = "mentorship.Application"

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)
    side = "mentee"
    status = "accepted"
    goals = "Learn to measure social impact"


class RelationshipFactory(factory.django.DjangoModelFactory["Relationship"]):
    """An active pair that started today: `RelationshipFactory(mentor=…, mentees=[…])`; both
    default to new people."""

    class Meta:
        model = "mentorship.Relationship"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    status = "active"
    started_on = factory.LazyFunction(date.today)
    agreement_cadence_days = 14

    @factory.post_generation
    def mentor(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.members.create(user=extracted or UserFactory(), side="mentor")

    @factory.post_generation
    def mentees(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            for person in extracted or [UserFactory()]:
                self.members.create(user=person, side="mentee")


def bearer(person: User) -> dict[str, str]:
    """Headers that call the API as `person`, with a fresh personal access token."""
    issued = access_token_create(user=person, name=f"test {uuid.uuid4()}", expires_in_days=1)
    return {"Authorization": f"Bearer {issued.secret}"}
