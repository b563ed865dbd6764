"""Mentorship data, in three modules: programmes and matching, relationships, selection/flash."""

from impactcircle.mentorship.models.programmes import (
    Application,
    ApplicationQuestion,
    MatchingRun,
    PairRule,
    Programme,
    ProgrammeInvitation,
    ProposedMatch,
    Side,
    UnmatchedApplication,
)
from impactcircle.mentorship.models.relationships import (
    CheckIn,
    MentoringSession,
    Milestone,
    PrivateNote,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
    SessionConfirmation,
    SharedResource,
)
from impactcircle.mentorship.models.selection import (
    FlashBooking,
    FlashSlot,
    MentorRequest,
    MentorShortlist,
)

__all__ = [
    "Application",
    "ApplicationQuestion",
    "CheckIn",
    "FlashBooking",
    "FlashSlot",
    "MatchingRun",
    "MentorRequest",
    "MentorShortlist",
    "MentoringSession",
    "Milestone",
    "PairRule",
    "PrivateNote",
    "Programme",
    "ProgrammeInvitation",
    "ProposedMatch",
    "Relationship",
    "RelationshipGoal",
    "RelationshipMember",
    "SessionConfirmation",
    "SharedResource",
    "Side",
    "UnmatchedApplication",
]
