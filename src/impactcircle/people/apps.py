from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "impactcircle.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from impactcircle.core.navigation import register_home_card
        from impactcircle.notifications.time_zones import register_time_zone_source
        from impactcircle.people import receivers  # noqa: F401  (connects signal receivers)
        from impactcircle.people.forms import register_filter_choices
        from impactcircle.people.home import profile_card
        from impactcircle.people.navigation import register_people_navigation
        from impactcircle.people.search import register_people_search
        from impactcircle.people.selectors import time_zone_names

        register_people_navigation()
        register_people_search()
        register_filter_choices()
        register_home_card(profile_card)
        register_time_zone_source(time_zone_names)
