from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Organisations and applications"

    def ready(self) -> None:
        from microcomm.navigation import NavItem, nav_register
        from microcomm.permissions import is_applicant

        nav_register(
            NavItem(
                "Your applications",
                "applications:application-list",
                is_applicant,
                60,
                ("/applications/", "/organisations/"),
            )
        )
