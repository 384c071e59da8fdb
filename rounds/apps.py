from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "rounds"
    verbose_name = "Needs, services and funding rounds"

    def ready(self) -> None:
        from celery.schedules import crontab

        from microcomm.audit import register_app_verbs
        from microcomm.celery import periodic_register
        from microcomm.demo import demo_register
        from microcomm.ledger import ledger_register
        from microcomm.lifecycle import register_lifecycle
        from microcomm.navigation import NavItem, nav_register
        from microcomm.views import home_section_register
        from rounds import audit_verbs, permissions, status_tags
        from rounds.demo import demo_seed_rounds
        from rounds.demo_funding import demo_seed_funding
        from rounds.models import DirectoryImport, FormPdf, Need, Round, Service, SupportRequest
        from rounds.tasks import advance_rounds, import_directory
        from rounds.tasks_pdf import render_form_pdf

        register_app_verbs(audit_verbs)
        periodic_register(name="advance-rounds", task=advance_rounds, schedule=crontab(minute="*"))
        ledger_register(FormPdf, task=render_form_pdf, after_response=True)
        ledger_register(DirectoryImport, task=import_directory)
        status_tags.register()
        for model in (Need, Service, Round, SupportRequest):
            register_lifecycle(model)
        nav_register(
            NavItem("Needs", "rounds:need-list", permissions.can_view_needs, 10, ("/needs/",))
        )
        nav_register(
            NavItem(
                "Directory",
                "rounds:service-list",
                permissions.can_search_services,
                20,
                ("/directory/",),
            )
        )
        nav_register(
            NavItem("Gaps", "rounds:gap-analysis", permissions.can_view_gaps, 30, ("/gaps/",))
        )
        nav_register(
            NavItem(
                "Funding",
                "rounds:fund-list",
                permissions.can_manage_funding,
                40,
                ("/funds/", "/manage/"),
            )
        )
        nav_register(
            NavItem(
                "Funding rounds", "rounds:round-public-list", lambda user: True, 50, ("/rounds/",)
            )
        )
        demo_register(demo_seed_rounds)
        demo_register(demo_seed_funding)
        home_section_register(role="link_worker", template="rounds/needs/_home_quick_log.html")
        home_section_register(role="commissioner", template="rounds/funding/_home_rounds.html")
        home_section_register(role="commissioner", template="rounds/gaps/_home_gaps.html")
        home_section_register(role="link_worker", template="rounds/public/_home_support.html")
        home_section_register(role="applicant", template="rounds/public/_home_applicant.html")
