"""What the relationship part of mentorship registers when the app is ready: the daily
keep-alive job, the home card and the programme-peers provider of profile visibility. Called
from MentorshipConfig.ready(). Its notifications use the module's "mentoring" category,
registered in setup.py."""

from __future__ import annotations


def register_relationship_parts() -> None:
    from impactcircle.core.navigation import register_home_card
    from impactcircle.core.schedule import PeriodicJob, register_periodic_job
    from impactcircle.mentorship.relationships.home import mentoring_card
    from impactcircle.mentorship.relationships.peers import register_programme_peers
    from impactcircle.mentorship.relationships.tasks import (
        KEEP_PAIRS_ALIVE_HOUR_UTC,
        keep_pairs_alive_daily,
    )

    register_periodic_job(
        PeriodicJob.daily(
            "mentorship.keep_pairs_alive", keep_pairs_alive_daily, hour=KEEP_PAIRS_ALIVE_HOUR_UTC
        )
    )
    register_home_card(mentoring_card)
    register_programme_peers()
