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
        from impactcircle.notifications.tasks import (
            DIGEST_HOUR_UTC,
            WEEKLY_DIGEST_WEEKDAY,
            send_daily_digests,
            send_weekly_digests,
        )

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
            PeriodicJob.daily(
                "notifications.daily_digest", send_daily_digests, hour=DIGEST_HOUR_UTC
            )
        )
        register_periodic_job(
            PeriodicJob.weekly(
                "notifications.weekly_digest",
                send_weekly_digests,
                weekday=WEEKLY_DIGEST_WEEKDAY,
                hour=DIGEST_HOUR_UTC,
            )
        )
