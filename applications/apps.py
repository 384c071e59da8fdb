from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Organisations and applications"

    def ready(self) -> None:
        from applications import audit_verbs, status_tags
        from applications.demo import demo_seed_applications
        from applications.models import Application, ApplicationPdf
        from applications.services.applying import register_answer_counter
        from applications.tasks import render_application_pdf
        from microcomm.demo import demo_register
        from microcomm.ledger import ledger_register
        from microcomm.lifecycle import register_lifecycle
        from microcomm.navigation import NavItem, nav_register
        from microcomm.permissions import is_applicant
        from microcomm.views import home_section_register

        audit_verbs.register()
        status_tags.register()
        register_lifecycle(Application)
        ledger_register(ApplicationPdf, task=render_application_pdf)
        nav_register(
            NavItem(
                "Your applications",
                "applications:application-list",
                is_applicant,
                60,
                ("/applications/", "/organisations/"),
            )
        )
        home_section_register(role="applicant", template="applications/_home_applicant.html")
        register_answer_counter()
        demo_register(demo_seed_applications)
