"""Typed SQLAlchemy 2.0 models. Importing this package registers every table."""

from models import installations as installations
from models.admin import DigestChannelSetting, NoteReply, WorkspaceSetting
from models.base import Base
from models.celebrations import Celebration, CelebrationRecipient, CelebrationValue
from models.digest import DigestSend
from models.leads import DropAlert, LeadChart
from models.moments import Customer, CustomerMoment
from models.outcomes import CustomerOutcome, OutcomesSecret
from models.pulse import (
    PulseAnswer,
    PulseExtraAnswer,
    PulseMonthlyAsked,
    PulseNote,
    PulsePreference,
    PulseSend,
    PulseSendFlag,
)
from models.requests import HandledRequest
from models.rollup import PulseRollup, PulseRollupWeek
from models.stories import CustomerStory
from models.workspace import ErasedPerson, Person, Team, Workspace

__all__ = [
    "Base",
    "Celebration",
    "CelebrationRecipient",
    "CelebrationValue",
    "Customer",
    "CustomerMoment",
    "CustomerOutcome",
    "CustomerStory",
    "DigestChannelSetting",
    "DigestSend",
    "DropAlert",
    "ErasedPerson",
    "HandledRequest",
    "LeadChart",
    "NoteReply",
    "OutcomesSecret",
    "Person",
    "PulseAnswer",
    "PulseExtraAnswer",
    "PulseMonthlyAsked",
    "PulseNote",
    "PulsePreference",
    "PulseRollup",
    "PulseRollupWeek",
    "PulseSend",
    "PulseSendFlag",
    "Team",
    "Workspace",
    "WorkspaceSetting",
    "installations",
]
