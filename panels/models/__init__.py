"""Models of the panels app: the rubric, the panel, scoring and the decision meeting."""

from panels.models.decisions import (
    Decision,
    InterviewInvitation,
    InterviewSlot,
    MeetingMinutes,
    PanelPack,
)
from panels.models.panel import ConflictDeclaration, MeetingAttendance, Panel, PanelMember
from panels.models.rubric import SCALE_POINTS, Criterion, Rubric, Scale, ScalePoint
from panels.models.scoring import PracticeAttempt, Score, Scorecard

__all__ = [
    "SCALE_POINTS",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "InterviewInvitation",
    "InterviewSlot",
    "MeetingAttendance",
    "MeetingMinutes",
    "Panel",
    "PanelMember",
    "PanelPack",
    "PracticeAttempt",
    "Rubric",
    "Scale",
    "ScalePoint",
    "Score",
    "Scorecard",
]
