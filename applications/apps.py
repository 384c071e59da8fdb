from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Organisations and applications"

    def ready(self) -> None:
        from applications.demo import demo_seed_applications
        from applications.services.applying import register_answer_counter
        from microcomm.demo import demo_register
        from microcomm.navigation import NavItem, nav_register
        from microcomm.permissions import is_applicant
        from microcomm.views import home_section_register

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
