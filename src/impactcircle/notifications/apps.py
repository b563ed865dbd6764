from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "impactcircle.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from impactcircle.core.navigation import NavItem, register_home_card, register_nav_item
        from impactcircle.core.schedule import PeriodicJob, register_periodic_job
        from impactcircle.notifications.categories import (
            Delivery,
            NotificationCategory,
            register_category,
        )
        from impactcircle.notifications.home import notifications_card
        from impactcircle.notifications.tasks import DIGEST_CHECK_INTERVAL, send_due_digests

        register_category(
            NotificationCategory(
                key="account",
                label="Account and security",
                description="Changes to your sign-in, tokens and security settings.",
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        register_category(
            NotificationCategory(
                key="people",
                label="People and roles",
                description="Changes to your roles, your manager and your team.",
                default_delivery=Delivery.IMMEDIATE,
            )
        )
        register_nav_item(NavItem(label="Notifications", url_name="notification_list", order=90))
        register_home_card(notifications_card)
        register_periodic_job(
            PeriodicJob.every("notifications.digests", send_due_digests, DIGEST_CHECK_INTERVAL)
        )
