from django.http import HttpRequest

from impactcircle.core.navigation import NavItem, nav_items_for


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    return {"nav_items": nav_items_for(request)}
