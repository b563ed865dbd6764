from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent
from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    DevelopmentGoal,
    Profile,
    ProfileSkill,
    Skill,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _section(user: User, name: str) -> str:
    return f"/people/{user.pk}/edit/{name}/"


def test_the_about_section_opens_as_a_form_in_place(signed_in_client: Client, user: User) -> None:
    response = signed_in_client.get(_section(user, "about"), headers=HTMX)

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="about"')
    assert 'name="bio"' in body


def test_saving_the_about_section_updates_the_profile(signed_in_client: Client, user: User) -> None:
    response = signed_in_client.post(
        _section(user, "about"),
        {
            "bio": "I *love* data",
            "city": "Berlin",
            "country": "de",
            "time_zone": "Europe/Berlin",
            "languages": ["de", "en"],
        },
        headers=HTMX,
    )

    profile = Profile.objects.get(user=user)
    assert response.status_code == 200
    assert "<em>love</em>" in response.content.decode()
    assert (profile.city, profile.country, profile.time_zone) == ("Berlin", "DE", "Europe/Berlin")
    assert set(profile.languages.values_list("code", flat=True)) == {"de", "en"}


def test_a_bad_country_and_time_zone_are_field_errors_and_nothing_changes(
    signed_in_client: Client, user: User
) -> None:
    response = signed_in_client.post(
        _section(user, "about"),
        {"bio": "new", "country": "XX", "time_zone": "Mars/Olympus"},
        headers=HTMX,
    )

    assert response.status_code == 422
    profile = Profile.objects.get(user=user)
    assert profile.bio == ""
    assert profile.country == ""


def test_adding_a_free_skill_reuses_an_existing_one_whatever_the_case(
    signed_in_client: Client, user: User, impact_measurement: Skill
) -> None:
    signed_in_client.post(
        _section(user, "skills"),
        {"skill_name": "IMPACT  measurement", "proficiency": 4},
        headers=HTMX,
    )
    signed_in_client.post(
        _section(user, "skills"), {"skill_name": "Beekeeping", "proficiency": 1}, headers=HTMX
    )

    levels = {
        level.skill.name: level.proficiency
        for level in ProfileSkill.objects.filter(profile__user=user)
    }
    assert levels == {"Impact measurement": 4, "Beekeeping": 1}
    assert not Skill.objects.get(name="Beekeeping").is_curated
    assert Skill.objects.filter(name__iexact="impact measurement").count() == 1


def test_removing_a_skill(signed_in_client: Client, user: User, impact_measurement: Skill) -> None:
    ProfileSkill.objects.create(profile=user.profile, skill=impact_measurement)

    signed_in_client.post(
        _section(user, "skills"), {"remove": impact_measurement.pk, "proficiency": 2}, headers=HTMX
    )

    assert not ProfileSkill.objects.filter(profile__user=user).exists()


def test_goals_can_be_added_achieved_and_removed(signed_in_client: Client, user: User) -> None:
    signed_in_client.post(
        _section(user, "goals"),
        {"text": "Measure social return", "skill_names": "SROI, Excel"},
        headers=HTMX,
    )
    goal = DevelopmentGoal.objects.get(profile__user=user)
    assert sorted(goal.skills.values_list("name", flat=True)) == ["Excel", "SROI"]

    signed_in_client.post(_section(user, "goals"), {"achieved": goal.pk}, headers=HTMX)
    goal.refresh_from_db()
    assert goal.is_achieved

    signed_in_client.post(_section(user, "goals"), {"remove": goal.pk}, headers=HTMX)
    assert not DevelopmentGoal.objects.exists()


def test_values_causes_and_mentoring_are_saved(
    signed_in_client: Client, user: User, integrity: CompanyValue, climate_action: CauseArea
) -> None:
    signed_in_client.post(
        _section(user, "causes"),
        {"values": [integrity.pk], "cause_areas": [climate_action.pk]},
        headers=HTMX,
    )
    signed_in_client.post(
        _section(user, "mentoring"),
        {"open_to_mentor": "on", "mentoring_hours_per_month": 4},
        headers=HTMX,
    )

    profile = Profile.objects.get(user=user)
    assert list(profile.values.all()) == [integrity]
    assert list(profile.cause_areas.all()) == [climate_action]
    assert profile.open_to_mentor
    assert profile.mentoring_hours_per_month == 4


def test_changing_visibility_is_audited(signed_in_client: Client, user: User) -> None:
    choices = dict.fromkeys(Profile.OPTIONAL_GROUPS, "everyone") | {"bio": "private"}

    signed_in_client.post(_section(user, "visibility"), choices, headers=HTMX)

    assert Profile.objects.get(user=user).bio_visibility == "private"
    assert AuditEvent.objects.filter(
        action="people.visibility_changed", object_id=str(user.pk)
    ).exists()


def _picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_a_photo_is_stored_square_and_served(signed_in_client: Client, user: User) -> None:
    response = signed_in_client.post(_section(user, "photo"), {"photo": _picture()})

    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    with Image.open(profile.photo) as stored:
        assert stored.size == (256, 256)
    avatar = signed_in_client.get(f"/people/{user.pk}/avatar")
    assert avatar["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_a_picture_is_refused(signed_in_client: Client, user: User) -> None:
    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")

    response = signed_in_client.post(_section(user, "photo"), {"photo": fake}, headers=HTMX)

    assert response.status_code == 422
    assert not Profile.objects.get(user=user).photo


def test_another_member_cannot_open_or_save_my_sections(
    client: Client, user: User, other_user: User
) -> None:
    client.force_login(other_user)

    assert client.get(_section(user, "about"), headers=HTMX).status_code == 404
    response = client.post(
        _section(user, "about"), {"bio": "hacked", "time_zone": "UTC"}, headers=HTMX
    )

    assert response.status_code == 404
    assert Profile.objects.get(user=user).bio == ""


def test_only_administrators_see_the_organisation_section(
    signed_in_client: Client, user: User
) -> None:
    assert signed_in_client.get(_section(user, "organisation"), headers=HTMX).status_code == 404


def test_an_administrator_can_edit_someone_elses_profile(
    client: Client, admin_user: User, user: User
) -> None:
    client.force_login(admin_user)

    response = client.post(
        _section(user, "about"), {"bio": "Updated by HR", "time_zone": "UTC"}, headers=HTMX
    )

    assert response.status_code == 200
    assert Profile.objects.get(user=user).bio == "Updated by HR"


def test_the_completeness_meter_tells_what_is_missing_and_why(
    signed_in_client: Client, user: User
) -> None:
    page = signed_in_client.get(f"/people/{user.pk}/").content.decode()

    assert "Your profile is 0% complete" in page
    assert "At least three skills" in page
    assert "Skills are how people find you as an expert" in page


def test_the_completeness_meter_is_only_shown_to_the_owner(
    client: Client, user: User, other_user: User
) -> None:
    client.force_login(other_user)

    assert "complete" not in client.get(f"/people/{user.pk}/").content.decode()
