from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "impactcircle.demo"
    label = "demo"
    verbose_name = "Demo organisation"
