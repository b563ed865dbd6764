from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impactcircle.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks

        from impactcircle.core.anonymity import check_thresholds
        from impactcircle.core.navigation import NavItem, register_nav_item

        checks.register(check_thresholds)

        register_nav_item(NavItem(label="Home", url_name="home", order=0))
