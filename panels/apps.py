from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "panels"
    verbose_name = "Panels, decisions and awards"

    def ready(self) -> None:
        from microcomm.audit import register_app_verbs
        from microcomm.lifecycle import register_lifecycle
        from panels import audit_verbs, status_tags
        from panels.models import Decision, PanelMember, Scorecard

        register_app_verbs(audit_verbs)
        status_tags.register()
        register_lifecycle(PanelMember)
        register_lifecycle(Scorecard)
        register_lifecycle(Decision)
        # The scoring system's link, start hook, move check and public section.
        from panels import rubric_hooks

        rubric_hooks.register()
        # The round page's link to its panel, and the panel member's home section.
        from panels import member_hooks

        member_hooks.register()
        # A round's page links to its conflicts register and scorer assignment.
        from panels import scoring_hooks

        scoring_hooks.register()
        # The pack ledger, links to feedback, interviews and packs, the feedback a
        # group sees when it applies again, the packs on the home page, the demo panel.
        from panels import feedback_hooks

        feedback_hooks.register()
        # The minutes ledger, links to moderation and the meeting, members' meetings.
        from panels import meeting_hooks

        meeting_hooks.register()
