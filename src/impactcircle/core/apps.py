from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impactcircle.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from impactcircle.core.navigation import NavItem, register_nav_item
        from impactcircle.core.search.indexing import enqueue_missing_indexes

        post_migrate.connect(enqueue_missing_indexes, sender=self)

        register_nav_item(NavItem(label="Home", url_name="home", order=0))
