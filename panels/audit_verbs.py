"""The audit verbs the panels app records, with the label a timeline shows.

Status changes are the shared lifecycle's `<model>.<status>` verbs (panel_member, scorecard,
decision); these are the other things the panel does.
"""

from __future__ import annotations

VERBS = {
    # The rubric
    "rubric.save": "Changed the scoring system",
    "rubric.apply_preset": "Started the scoring system from a preset",
    "rubric.copy": "Copied the scoring system from an earlier round",
    # The panel and its members
    "panel.settings_save": "Changed the panel's settings",
    "panel_member.role_change": "Changed a panel member's role",
    "attendance.record": "Recorded attendance at a panel meeting",
    # Seating and inviting members, practice
    "panel_member.add": "Added a member to the panel",
    "panel_member.invite_again": "Sent the panel invitation again",
    "user.invited_to_panel": "Made an account for a person invited to a panel",
    "practice.submit": "Tried scoring the practice application",
    # Conflicts of interest
    "conflict.declare": "Declared an interest: {interest}",
    "conflict.record": "Recorded an interest on a member's behalf: {interest}",
    # Scoring
    "scorecard.assign": "Assigned applications for scoring",
    "scorecard.unassign": "Took an application away from a scorer",
    "score.change": "Changed a score after looking again",
    # The meeting
    "decision.change": "Changed the panel's decision",
    "decision.feedback_save": "Edited the feedback",
    "interview.invite": "Invited the group to an interview",
    "interview.book": "Chose an interview time",
    "interview.notes": "Recorded interview notes",
    # Interview times and panel packs
    "interview.slot_add": "Offered an interview time: {time}",
    "interview.slot_remove": "Took back an interview time: {time}",
    "panel_pack.request": "Asked for a panel pack",
    # The decision meeting's minutes
    "minutes.request": "Asked for the minutes of the panel meeting",
}
