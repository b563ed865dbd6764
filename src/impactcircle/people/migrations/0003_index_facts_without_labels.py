"""Profiles are now indexed by their facts alone ("Python (expert)", not "Skill: Python
(expert)"): a label stands in every profile, so a search for "public speaking" matched everyone
who "Speaks" a language. Existing documents are rebuilt by the worker; until then the old ones
keep answering searches."""

from django.db import migrations


def rebuild_profile_documents(apps, schema_editor):  # type: ignore[no-untyped-def]
    SearchDocument = apps.get_model("core", "SearchDocument")
    if not SearchDocument.objects.filter(type_name="people.profile").exists():
        return  # a new database: post_migrate queues the first build
    from impactcircle.core.search.tasks import rebuild_search_index

    rebuild_search_index.enqueue(type_name="people.profile")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_seed_reference_data"),
        ("core", "0005_search_index"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rebuild_profile_documents, migrations.RunPython.noop)]
