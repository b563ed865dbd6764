from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "impactcircle.mentorship"
    label = "mentorship"
    verbose_name = "Mentorship"
