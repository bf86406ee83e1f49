from django.core.exceptions import ValidationError


class GovernanceError(ValidationError):
    """A rule of the governance app refused a change; the message says why, in words the
    person who tried can act on."""


class SeatsFullError(GovernanceError):
    pass


class QuorumNotMetError(GovernanceError):
    pass


class InterestedMemberError(GovernanceError):
    pass


class AlreadyVotedError(GovernanceError):
    pass


class ForumTieError(GovernanceError):
    """The forum's vote tied across the cut-off: someone must decide the tie."""
