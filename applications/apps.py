from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Organisations and applications"

    def ready(self) -> None:
        from django.urls import reverse

        from applications import audit_verbs, status_tags
        from applications.demo import demo_seed_applications
        from applications.models import Application, ApplicationPdf
        from applications.permissions import can_manage_applications
        from applications.services.applying import register_answer_counter
        from applications.tasks import render_application_pdf
        from microcomm.audit import register_app_verbs
        from microcomm.demo import demo_register
        from microcomm.ledger import ledger_register
        from microcomm.lifecycle import register_lifecycle
        from microcomm.navigation import NavItem, PageLink, nav_register, page_link_register
        from microcomm.permissions import is_applicant
        from microcomm.views import home_section_register
        from rounds.models import Round

        register_app_verbs(audit_verbs)
        status_tags.register()
        register_lifecycle(Application)
        ledger_register(ApplicationPdf, task=render_application_pdf, after_response=True)
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
        home_section_register(role="link_worker", template="applications/_home_link_worker.html")
        # The assessment: a round's applications, once the round has opened.
        page_link_register(
            PageLink(
                place="round",
                label="Assess the applications",
                url=lambda round: reverse(
                    "applications:manage-application-list", args=[round.slug]
                ),
                visible=lambda user, round: (
                    user is not None
                    and bool(can_manage_applications(user))
                    and round.current_status not in (Round.Status.DRAFT, Round.Status.SCHEDULED)
                ),
                order=10,
            )
        )
        register_answer_counter()
        demo_register(demo_seed_applications)
