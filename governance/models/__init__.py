"""The governance app's models, one module per domain."""

from .audit import AuditEvent
from .boards import Board, BoardMembership, Seat, SeatCategory
from .meetings import (
    AgendaItem,
    Decision,
    DecisionVote,
    InterestDeclaration,
    Meeting,
    MemberAttendance,
)
from .partnerships import Budget, PartnerAgency, Partnership
from .priorities import (
    Ballot,
    BallotChoice,
    Priority,
    PriorityCycle,
    PriorityReview,
    TaskGroupMember,
    VotingMethod,
)
from .selection import LotteryDraw, SeatApplication, SeatCall, SeatQuota
from .signoffs import SignOffDelegation, SignOffRequest

__all__ = [
    "AgendaItem",
    "AuditEvent",
    "Ballot",
    "BallotChoice",
    "Board",
    "BoardMembership",
    "Budget",
    "Decision",
    "DecisionVote",
    "InterestDeclaration",
    "LotteryDraw",
    "Meeting",
    "MemberAttendance",
    "PartnerAgency",
    "Partnership",
    "Priority",
    "PriorityCycle",
    "PriorityReview",
    "Seat",
    "SeatApplication",
    "SeatCall",
    "SeatCategory",
    "SeatQuota",
    "SignOffDelegation",
    "SignOffRequest",
    "TaskGroupMember",
    "VotingMethod",
]
