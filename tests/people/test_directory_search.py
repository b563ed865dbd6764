"""The directory's text search runs on core.search: meaning and words, within what each viewer
may see of each profile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from tests.conftest import HttpsClient
from tests.factories import UserFactory
from tests.people.conftest import make_person

from impactcircle.accounts.models import User
from impactcircle.core.search import index_now
from impactcircle.people.models import DevelopmentGoal, Profile, Skill, Visibility
from impactcircle.people.selectors import PROFILE_TYPE, DirectoryFilters, directory_page
from impactcircle.people.visibility import (
    register_programme_peer_provider,
    scope_for,
    unregister_programme_peer_provider,
)

pytestmark = pytest.mark.django_db

LOGISTICS_QUESTION = "who knows about reducing emissions in logistics"


def _names(viewer: User, text: str) -> list[str]:
    page, _total = directory_page(scope_for(viewer), DirectoryFilters(text=text), 1)
    return [row.person.name for row in page.object_list]


def _reindex(*people: User) -> None:
    index_now(PROFILE_TYPE, [person.profile.pk for person in people])


@pytest.fixture
def planner(db: None) -> User:
    person = make_person(
        "lena@example.com", first_name="Lena", last_name="Vogel", job_title="Route planner"
    )
    DevelopmentGoal.objects.create(
        profile=person.profile, text="Cut carbon from our truck fleet and warehouses"
    )
    _reindex(person)
    return person


@pytest.fixture
def accountant(db: None) -> User:
    return make_person(
        "otto@example.com",
        first_name="Otto",
        last_name="Klein",
        job_title="Accountant",
        bio="I like numbers and spreadsheets.",
    )


def test_a_question_finds_people_by_meaning_when_the_words_differ(
    user: User, planner: User, accountant: User
) -> None:
    names = _names(user, LOGISTICS_QUESTION)

    assert names == ["Lena Vogel"]


def test_a_person_found_by_meaning_says_which_visible_line_was_close(
    user: User, planner: User
) -> None:
    page, _ = directory_page(scope_for(user), DirectoryFilters(text=LOGISTICS_QUESTION), 1)

    (row,) = page.object_list
    assert row.reasons == ["Close in meaning: Goal: Cut carbon from our truck fleet and warehouses"]


def test_matched_words_are_marked_and_escaped(user: User) -> None:
    person = make_person(
        "mo@example.com",
        first_name="Mo",
        last_name="Said",
        bio="Carbon <script>alert(1)</script> accounting & reporting",
    )
    _reindex(person)

    page, _ = directory_page(scope_for(user), DirectoryFilters(text="carbon"), 1)

    (row,) = page.object_list
    assert row.highlights == [
        "Bio: <mark>Carbon</mark> &lt;script&gt;alert(1)&lt;/script&gt; accounting &amp; reporting"
    ]


def test_other_filters_narrow_a_text_search(user: User, planner: User) -> None:
    other = make_person("ida@example.com", first_name="Ida", last_name="Berg", open_to_mentor=True)
    DevelopmentGoal.objects.create(
        profile=other.profile, text="Lower emissions of our delivery vans"
    )
    _reindex(other)

    page, total = directory_page(
        scope_for(user), DirectoryFilters(text=LOGISTICS_QUESTION, open_to_mentor=True), 1
    )

    assert [row.person.name for row in page.object_list] == ["Ida Berg"]
    assert total == 1
    assert "Open to mentor" in page.object_list[0].reasons


# --- a hidden field never makes its owner match --------------------------------------------


@pytest.fixture
def peers() -> Iterator[dict[int, set[int]]]:
    """Programme peers by viewer id, as a programme module would provide them."""
    table: dict[int, set[int]] = {}

    def provider(viewer: User) -> set[int]:
        return table.get(viewer.pk, set())

    register_programme_peer_provider(provider)
    yield table
    unregister_programme_peer_provider(provider)


def _person_with_hidden(group: str, visibility: str) -> tuple[User, str]:
    """A person whose only words about freight emissions sit in `group`; returns the words."""
    person = make_person("hid@example.com", first_name="Hana", last_name="Ito", job_title="Clerk")
    profile = person.profile
    if group == "skills":
        profile.skill_levels.create(skill=Skill.objects.create(name="Freight decarbonisation"))
        words = "decarbonisation"
    elif group == "goals":
        DevelopmentGoal.objects.create(profile=profile, text="Freight decarbonisation by 2030")
        words = "decarbonisation"
    else:
        profile.bio = "I work on freight decarbonisation with our carriers."
        words = "decarbonisation"
    setattr(profile, f"{group}_visibility", visibility)
    profile.save()
    _reindex(person)
    return person, words


@pytest.mark.parametrize("group", ["skills", "goals", "bio"])
def test_a_private_field_is_found_by_its_owner_and_an_administrator_only(
    user: User, admin_user: User, group: str, peers: dict[int, set[int]]
) -> None:
    owner, words = _person_with_hidden(group, Visibility.PRIVATE)
    peers[user.pk] = {owner.pk}  # even a programme peer may not use a private field

    for text in (words, "cutting emissions of freight transport"):
        assert _names(user, text) == [], text
        assert _names(owner, text) == ["Hana Ito"], text
        assert _names(admin_user, text) == ["Hana Ito"], text


@pytest.mark.parametrize("group", ["skills", "goals", "bio"])
def test_a_programme_field_is_found_by_programme_peers_and_not_by_others(
    user: User, other_user: User, group: str, peers: dict[int, set[int]]
) -> None:
    owner, words = _person_with_hidden(group, Visibility.PROGRAMME)
    peers[user.pk] = {owner.pk}

    for text in (words, "cutting emissions of freight transport"):
        assert _names(user, text) == ["Hana Ito"], text
        assert _names(other_user, text) == [], text


def test_reasons_for_a_peer_never_show_a_private_group(
    user: User, peers: dict[int, set[int]]
) -> None:
    owner, _ = _person_with_hidden("goals", Visibility.PROGRAMME)
    Profile.objects.filter(user=owner).update(bio="Freight lover", bio_visibility="private")
    _reindex(owner)
    peers[user.pk] = {owner.pk}

    page, _ = directory_page(scope_for(user), DirectoryFilters(text="freight"), 1)

    (row,) = page.object_list
    assert row.reasons == ["Goal: Freight decarbonisation by 2030"]


def test_the_api_searches_the_same_way_and_hides_the_same_fields(
    client: Client, user: User, other_user: User
) -> None:
    owner, words = _person_with_hidden("skills", Visibility.PRIVATE)
    client.force_login(other_user)

    hidden = client.get("/api/v1/people", {"q": words}).json()
    client.force_login(owner)
    own = client.get("/api/v1/people", {"q": words}).json()

    assert hidden["count"] == 0
    assert own["count"] == 1
    assert own["items"][0]["reasons"] == ["Skill: Freight decarbonisation (practising)"]
    assert own["items"][0]["highlights"] == [
        "Skill: Freight <mark>decarbonisation</mark> (practising)"
    ]


# --- indexing follows the services -----------------------------------------------------------


def test_a_profile_change_through_the_api_is_indexed_after_commit(
    user: User, other_user: User, django_capture_on_commit_callbacks
) -> None:
    client = HttpsClient()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            "/api/v1/people/me",
            {"bio": "I run our cargo bike pilot"},
            content_type="application/json",
        )
    assert response.status_code == 200

    assert _names(other_user, "cargo bike") == ["Ana Almeida"]


def test_a_field_hidden_later_stops_matching_once_reindexed(
    user: User, other_user: User, django_capture_on_commit_callbacks
) -> None:
    client = HttpsClient()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.patch("/api/v1/people/me", {"bio": "Cargo bikes"}, content_type="application/json")
    assert _names(other_user, "cargo") == ["Ana Almeida"]

    with django_capture_on_commit_callbacks(execute=True):
        client.patch(
            "/api/v1/people/me",
            {"visibility": {"bio": "private"}},
            content_type="application/json",
        )

    assert _names(other_user, "cargo") == []
    assert _names(user, "cargo") == ["Ana Almeida"]


@pytest.mark.parametrize("people", [3, 30])
def test_a_text_search_runs_a_fixed_number_of_queries(
    signed_in_client: Client, people: int, django_assert_num_queries
) -> None:
    for number in range(people):
        person = UserFactory(email=f"q{number}@example.com", first_name="Quinn", last_name="Q")
        Profile.objects.filter(user=person).update(job_title="Logistics analyst", bio="Trucks")
        _reindex(person)

    # The same at 3 and 30 people: the page's own queries, the viewer's programme peers and one
    # for the index's revision; words and meaning both rank in memory, and the other filters
    # ride in the query that keeps active people.
    with django_assert_num_queries(21):
        response = signed_in_client.get("/people/", {"q": "logistics"})

    assert response.status_code == 200
    assert "Quinn Q" in response.content.decode()


def test_the_indexed_text_is_exactly_what_each_audience_sees_on_the_profile(
    impact_measurement: Skill,
) -> None:
    from impactcircle.people.models import CauseArea, CompanyValue, Language, Level
    from impactcircle.people.search import profile_documents
    from impactcircle.people.selectors import profile_lines, profile_view_for, split_line
    from impactcircle.people.visibility import ViewerScope

    person = make_person(
        "all@example.com",
        first_name="Al",
        last_name="Lgroups",
        skill=impact_measurement,
        job_title="Lead",
        city="Oslo",
        country="NO",
        bio="Many   words\nhere",
        open_to_mentor=True,
        level=Level.objects.create(name="L5", rank=5),
        skills_visibility=Visibility.PROGRAMME,
        bio_visibility=Visibility.PRIVATE,
        location_visibility=Visibility.PROGRAMME,
        values_visibility=Visibility.PRIVATE,
    )
    profile = person.profile
    profile.languages.add(Language.objects.get(code="no"), Language.objects.get(code="en"))
    profile.cause_areas.add(
        CauseArea.objects.get(sdg_number=13), CauseArea.objects.get(sdg_number=7)
    )
    profile.values.add(CompanyValue.objects.create(name="Care"))
    DevelopmentGoal.objects.create(profile=profile, text="Learn to coach")
    DevelopmentGoal.objects.create(profile=profile, text="Done already", is_achieved=True)
    scopes = {
        "everyone": ViewerScope(0, False, frozenset()),
        "programme": ViewerScope(0, False, frozenset({person.pk})),
        "private": ViewerScope(person.pk, False, frozenset()),
    }

    documents = {document.audience: document for document in profile_documents([profile.pk])}

    assert set(documents) == set(scopes)
    for audience, scope in scopes.items():
        facts = [split_line(line)[1] for line in profile_lines(profile_view_for(scope, person.pk))]
        assert documents[audience].body.split("\n") == facts
        assert documents[audience].title == "Al Lgroups"


def test_the_page_marks_the_matched_words_of_the_first_matching_line(
    signed_in_client: Client,
) -> None:
    person = make_person(
        "mo@example.com", first_name="Mo", last_name="Said", bio="Carbon <b>accounting</b>"
    )
    _reindex(person)

    page = signed_in_client.get("/people/", {"q": "carbon"}).content.decode()

    assert '<p class="person-row__snippet">Bio: <mark>Carbon</mark> &lt;b&gt;accounting' in page


def test_renaming_a_department_reindexes_its_members(
    user: User, admin_user: User, sustainability, django_capture_on_commit_callbacks
) -> None:
    from impactcircle.people.organisation_services import department_save

    member = make_person(
        "dee@example.com", first_name="Dee", last_name="Kay", department=sustainability
    )
    _reindex(member)
    with django_capture_on_commit_callbacks(execute=True):
        department_save(
            actor=admin_user, name="Circular Economy", parent=None, department=sustainability
        )

    assert _names(user, "circular economy") == ["Dee Kay"]


def test_a_renamed_person_is_found_by_the_new_name(
    user: User, other_user: User, django_capture_on_commit_callbacks
) -> None:
    _reindex(user)
    with django_capture_on_commit_callbacks(execute=True):
        user.last_name = "Oyelaran"
        user.save()  # as the admin saves an account

    assert _names(other_user, "Oyelaran") == ["Ana Oyelaran"]
    assert _names(other_user, "Almeida") == []


def test_a_sign_in_does_not_reindex_the_person(
    user: User, django_capture_on_commit_callbacks
) -> None:
    from django.utils import timezone

    from impactcircle.core.models import OutboxEvent

    before = OutboxEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])

    assert OutboxEvent.objects.count() == before


def test_labels_are_not_searched_a_speaker_of_english_is_not_found_by_the_word_speaking(
    user: User,
) -> None:
    from impactcircle.core.search import search
    from impactcircle.people.models import Language
    from impactcircle.people.selectors import access_of

    linguist = make_person("lin@example.com", first_name="Lin", last_name="Guist")
    linguist.profile.languages.add(Language.objects.get(code="en"))
    speaker = make_person(
        "pat@example.com", first_name="Pat", last_name="Podium", bio="I coach public speaking."
    )
    _reindex(linguist, speaker)

    hits = search(PROFILE_TYPE, "speaking", access_of(scope_for(user)))
    page, _ = directory_page(scope_for(user), DirectoryFilters(text="speaking"), 1)

    # "Speaks English" is a label and a fact: the label never matches a searched word.
    assert {hit.object_id for hit in hits if hit.by_words} == {speaker.profile.pk}
    rows = {row.person.name: row for row in page.object_list}
    assert rows["Pat Podium"].reasons == ["Bio: I coach public speaking."]
    assert rows["Pat Podium"].highlights == ["Bio: I coach public <mark>speaking</mark>."]
    assert all(not reason.startswith("Speaks") for row in rows.values() for reason in row.reasons)


def test_the_migration_to_unlabelled_facts_rebuilds_documents_written_with_labels(
    impact_measurement: Skill,
) -> None:
    import importlib

    from django.apps import apps

    from impactcircle.core.models import SearchDocument

    migration = importlib.import_module(
        "impactcircle.people.migrations.0003_index_facts_without_labels"
    )
    person = make_person(
        "old@example.com", first_name="Ola", last_name="Old", skill=impact_measurement
    )
    _reindex(person)
    documents = SearchDocument.objects.filter(object_id=person.profile.pk, is_deleted=False)
    documents.update(body="Skill: Impact measurement (expert)")  # as an older version wrote it

    migration.rebuild_profile_documents(apps, None)

    assert list(documents.values_list("body", flat=True)) == ["Impact measurement (expert)"]


def test_someone_who_left_is_not_shown_even_before_their_documents_are_rebuilt(
    user: User, planner: User
) -> None:
    User.objects.filter(pk=planner.pk).update(is_active=False)  # no reindex yet

    assert _names(user, LOGISTICS_QUESTION) == []
    assert _names(user, "Vogel") == []
