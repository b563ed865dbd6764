from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "impactcircle.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from impactcircle.accounts import (
            audit_receivers,  # noqa: F401  (connects receivers)
            token_receivers,  # noqa: F401  (connects receivers)
        )
        from impactcircle.accounts.home import account_card
        from impactcircle.core.navigation import register_home_card

        register_home_card(account_card)
