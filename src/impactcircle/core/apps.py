from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impactcircle.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from impactcircle.core.navigation import NavItem, register_nav_item

        register_nav_item(NavItem(label="Home", url_name="home", order=0))
