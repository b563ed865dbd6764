from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "impactcircle.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        import impactcircle.core.search.events  # noqa: F401  # its event and subscriber
        from impactcircle.core.anonymity import check_thresholds
        from impactcircle.core.navigation import NavItem, register_nav_item
        from impactcircle.core.search.indexing import enqueue_missing_indexes
        from impactcircle.core.upkeep import (
            check_autovacuum,
            clear_expired_sessions,
            create_cache_tables,
            prune_finished_task_results,
        )

        post_migrate.connect(enqueue_missing_indexes, sender=self)
        post_migrate.connect(create_cache_tables, sender=self)

        checks.register(check_thresholds)
        checks.register(check_autovacuum, deploy=True)

        register_nav_item(NavItem(label="Home", url_name="home", order=0))

        from datetime import timedelta

        from impactcircle.core.events.tasks import deliver_due_events, purge_old_events
        from impactcircle.core.schedule import PeriodicJob, register_periodic_job

        # Retries failed deliveries and dispatches events whose dispatch task was lost.
        register_periodic_job(
            PeriodicJob.every("core.deliver_due_events", deliver_due_events, timedelta(minutes=1))
        )
        register_periodic_job(PeriodicJob.daily("core.purge_old_events", purge_old_events, hour=3))
        register_periodic_job(
            PeriodicJob.daily(
                "core.prune_finished_task_results", prune_finished_task_results, hour=3
            )
        )
        register_periodic_job(
            PeriodicJob.daily("core.clear_expired_sessions", clear_expired_sessions, hour=4)
        )
