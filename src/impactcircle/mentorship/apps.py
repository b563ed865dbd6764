from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "impactcircle.mentorship"
    label = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        # The event types this app publishes, registered before any worker reads the outbox.
        import impactcircle.mentorship.flash.events
        import impactcircle.mentorship.matching.events
        import impactcircle.mentorship.relationships.events  # noqa: F401
        from impactcircle.mentorship.policies import register_mentorship_policies
        from impactcircle.mentorship.setup import register_mentorship

        register_mentorship_policies()

        register_mentorship()

        from impactcircle.mentorship.relationships.setup import register_relationship_parts

        register_relationship_parts()
