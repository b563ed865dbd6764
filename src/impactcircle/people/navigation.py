from django.http import HttpRequest

from impactcircle.core.navigation import NavItem, register_nav_item
from impactcircle.people.roles import is_administrator


def _is_admin(request: HttpRequest) -> bool:
    return is_administrator(request.user)


def register_people_navigation() -> None:
    register_nav_item(NavItem(label="People", url_name="people_directory", order=10))
    register_nav_item(NavItem(label="My profile", url_name="people_me", order=11))
    register_nav_item(
        NavItem(label="Roles", url_name="people_roles", order=90, is_visible=_is_admin)
    )
