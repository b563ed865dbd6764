from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impactcircle.core"
    label = "core"
    verbose_name = "Core"
