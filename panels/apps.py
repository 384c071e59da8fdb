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
