from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "impactcircle.mentorship"
    label = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from impactcircle.mentorship.policies import register_mentorship_policies
        from impactcircle.mentorship.setup import register_mentorship

        register_mentorship_policies()

        register_mentorship()

        from impactcircle.mentorship.relationships.setup import register_relationship_parts

        register_relationship_parts()
