from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from impactcircle.accounts.models import User
from impactcircle.demo.accounts import DEMO_ADMIN_EMAIL, DEMO_MEMBER_EMAIL, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_member_can_sign_in_with_the_published_password(client: Client) -> None:
    call_command("demo", people=10, seed=1)

    response = client.post(
        reverse("account_login"), {"login": DEMO_MEMBER_EMAIL, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_has_an_administrator() -> None:
    call_command("demo", people=5, seed=1)

    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    assert admin.is_superuser
    assert admin.is_staff


def test_the_demo_is_deterministic_for_a_seed() -> None:
    call_command("demo", people=40, seed=7)
    first = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))
    User.objects.all().delete()

    call_command("demo", people=40, seed=7)
    second = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))

    assert first == second
    assert len(first) == 40


def test_running_the_demo_twice_creates_no_twins() -> None:
    call_command("demo", people=20, seed=3)
    call_command("demo", people=20, seed=3)

    assert User.objects.count() == 20


def test_if_empty_leaves_an_existing_database_alone(user: User) -> None:
    call_command("demo", people=20, seed=3, if_empty=True)

    assert list(User.objects.values_list("email", flat=True)) == [user.email]


def test_fewer_than_two_people_is_refused() -> None:
    with pytest.raises(CommandError, match="at least 2"):
        call_command("demo", people=1)
