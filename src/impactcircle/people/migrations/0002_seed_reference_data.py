"""Seed the 17 UN Sustainable Development Goals, the ISO 639-1 languages, the programme
managers' group, and a profile for every account that existed before this app."""

from django.db import migrations

SDGS = [
    (1, "No Poverty"), (2, "Zero Hunger"), (3, "Good Health and Well-being"),
    (4, "Quality Education"), (5, "Gender Equality"), (6, "Clean Water and Sanitation"),
    (7, "Affordable and Clean Energy"), (8, "Decent Work and Economic Growth"),
    (9, "Industry, Innovation and Infrastructure"), (10, "Reduced Inequalities"),
    (11, "Sustainable Cities and Communities"), (12, "Responsible Consumption and Production"),
    (13, "Climate Action"), (14, "Life Below Water"), (15, "Life on Land"),
    (16, "Peace, Justice and Strong Institutions"), (17, "Partnerships for the Goals"),
]  # fmt: skip


def seed(apps, schema_editor):
    import pycountry

    CauseArea = apps.get_model("people", "CauseArea")
    Language = apps.get_model("people", "Language")
    Profile = apps.get_model("people", "Profile")
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    for number, name in SDGS:
        CauseArea.objects.update_or_create(sdg_number=number, defaults={"name": name})
    Language.objects.bulk_create(
        [
            Language(code=language.alpha_2, name=language.name.removesuffix(" (macrolanguage)"))
            for language in pycountry.languages
            if hasattr(language, "alpha_2")
        ],
        ignore_conflicts=True,
    )
    Group.objects.get_or_create(name="Programme managers")
    without_profile = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create([Profile(user_id=pk) for pk in without_profile])


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
