"""The audit verbs the applications app records, with the label a timeline shows."""

from __future__ import annotations

VERBS = {
    # Organisations
    "organisation.create": "Created the group's profile",
    "organisation.profile_update": "Updated the group's profile",
    "organisation.member_invite": "Invited someone to join the group",
    "organisation.invitation_accept": "Joined the group",
    "organisation.member_remove": "Removed a member of the group",
    "organisation.member_change_role": "Changed a member's role",
    "organisation.document_upload": "Uploaded a document",
    "organisation.document_replace": "Replaced a document",
    "organisation.document_delete": "Deleted a document",
    # Applications
    "application.start": "Started the application",
    "application.assist": "Started helping with the application",
    "application.section_mark": "Changed whether a section is completed",
    "application.hand_over": "Handed the application over to the group",
    "application.assistance_end": "Ended the link worker's help with the application",
    "application.copy": "Started the application as a copy of an earlier one",
    # Assessing
    "application.eligibility_check": "Checked whether the group can apply to the round",
    "application.eligibility_override": "Overrode the eligibility check",
    "due_diligence.verify": "Verified a due diligence check: {label}",
    "due_diligence.unverify": "Marked a due diligence check as not verified: {label}",
}

# No longer recorded, kept so that events written before still read well. Saving answers
# or a budget is not an event: the application keeps the time of its last save instead;
# status changes are the shared lifecycle's `application.<status>`.
RETIRED_VERBS = {
    "application.submit": "Submitted the application",
    "application.withdraw": "Withdrew the application",
    "application.reopen": "Reopened the application for changes",
    "application.answers_save": "Saved answers",
    "application.budget_save": "Saved the budget",
}
