"""The audit verbs the rounds app records, with the label a timeline shows."""

from __future__ import annotations

VERBS = {
    # Needs
    "need.create": "Recorded the need",
    "need.signal": "Logged the need again",
    "need.update": "Edited the need",
    "need.link_priority": "Linked the need to a priority",
    "need.unlink_priority": "Unlinked the need from its priority",
    "need.merge": "Merged the need into another need",
    "need.merge_in": "Merged another need into this one",
    "need.signal_move_in": "Moved a log of a need here from another need",
    "need.signal_move_out": "Moved a log of this need to another need",
    "need.signal_delete": "Deleted a log of this need",
    # The service directory
    "service.create": "Added the service",
    "service.update": "Changed the service's details",
    "service.verify": "Checked the service's details are still right",
    "service.propose": "Proposed the service for the directory",
    "service.oruk_import": "Imported the service from an Open Referral file",
    # Funds and rounds
    "fund.create": "Created the fund",
    "fund.update": "Changed the fund",
    "round.create": "Created the round",
    "round.update": "Changed the round's details",
    "round.copy": "Created the round as a copy of an earlier round",
    "round.event_create": "Added an event to the timeline",
    "round.event_delete": "Removed an event from the timeline",
    # The application form
    "round.form_create_default": "Added the default application form",
    "round.form_apply_tier": "Added the questions of the round's new tier to the form",
    "round.form_publish": "Published the application form",
    "round.form_unpublish": "Unpublished the application form",
    "form_section.create": "Added a section to the application form",
    "form_section.update": "Changed a section of the application form",
    "form_section.delete": "Removed a section from the application form",
    "question.create": "Added a question to the application form",
    "question.update": "Changed a question on the application form",
    "question.delete": "Removed a question from the application form",
    "question.move": "Moved a question on the application form",
    # Public pages and support
    "faq.create": "Added a question to the FAQs",
    "faq.update": "Changed a question in the FAQs",
    "faq.delete": "Removed a question from the FAQs",
    "guidance.create": "Added guidance",
    "guidance.update": "Changed guidance",
    "guidance.delete": "Removed guidance",
    "support_request.create": "Asked for help to apply",
    # Side effects
    "directory_import.queue": "Uploaded a file to import into the directory",
    "directory_import.start": "Started importing the file",
    "directory_import.done": "Imported the file into the directory",
    "directory_import.failed": "Could not import the file",
    "form_pdf.render": "Prepared the application form as a PDF",
}

# No longer recorded: the shared lifecycle records status changes as `<model>.<status>`.
# Kept so that events written before still read well.
RETIRED_VERBS = {
    "service.pause": "Paused the service",
    "service.close": "Closed the service",
    "service.reopen": "Reopened the service",
    "service.approve": "Approved the service",
    "service.reject": "Turned down the service",
    "round.status": "Changed the round's status",
    "support_request.assign": "Asked a link worker to help",
    "support_request.close": "Closed the request for help",
}
