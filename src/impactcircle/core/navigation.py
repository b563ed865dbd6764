"""The site navigation and the home page's cards, which each module contributes to.

Modules register what they offer in their AppConfig.ready(); the layout only shows entries
whose module is installed and that the person may use, so there are no dead links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    is_visible: Callable[[HttpRequest], bool] = lambda request: request.user.is_authenticated

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomeCard:
    """A card on the signed-in person's home page, rendered from `template` with `context`."""

    title: str
    template: str
    order: int
    context: dict[str, object]


type HomeCardProvider = Callable[[HttpRequest], HomeCard | None]

_nav_items: list[NavItem] = []
_card_providers: list[HomeCardProvider] = []


def register_nav_item(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _nav_items):
        _nav_items.append(item)


def register_home_card(provider: HomeCardProvider) -> None:
    if provider not in _card_providers:
        _card_providers.append(provider)


def nav_items_for(request: HttpRequest) -> list[NavItem]:
    return sorted(
        (item for item in _nav_items if item.is_visible(request)), key=lambda item: item.order
    )


def home_cards_for(request: HttpRequest) -> list[HomeCard]:
    cards = [card for provider in _card_providers if (card := provider(request)) is not None]
    return sorted(cards, key=lambda card: card.order)
