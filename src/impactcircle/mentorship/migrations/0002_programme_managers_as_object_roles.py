"""A programme's managers become the platform's object-scoped role `mentorship.programme_manager`."""

from django.db import migrations

ROLE = "mentorship.programme_manager"


def managers_to_roles(apps, schema_editor):
    Programme = apps.get_model("mentorship", "Programme")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectRole = apps.get_model("core", "ObjectRole")
    content_type, _ = ContentType.objects.get_or_create(app_label="mentorship", model="programme")
    through = Programme.managers.through
    ObjectRole.objects.bulk_create(
        [
            ObjectRole(
                role=ROLE,
                content_type=content_type,
                object_id=row.programme_id,
                user_id=row.user_id,
            )
            for row in through.objects.all()
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


def roles_to_managers(apps, schema_editor):
    Programme = apps.get_model("mentorship", "Programme")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectRole = apps.get_model("core", "ObjectRole")
    content_type = ContentType.objects.filter(app_label="mentorship", model="programme").first()
    if content_type is None:
        return
    through = Programme.managers.through
    through.objects.bulk_create(
        [
            through(programme_id=role.object_id, user_id=role.user_id)
            for role in ObjectRole.objects.filter(role=ROLE, content_type=content_type)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_object_roles"),
        ("mentorship", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(managers_to_roles, roles_to_managers),
        migrations.RemoveField(model_name="programme", name="managers"),
    ]
