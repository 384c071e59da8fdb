from django.apps import AppConfig


class MicrocommConfig(AppConfig):
    name = "microcomm"
    verbose_name = "People, organisations and places"

    def ready(self) -> None:
        from microcomm import permissions
        from microcomm.navigation import NavItem, nav_register

        nav_register(NavItem("Home", "microcomm:home", lambda user: user.is_authenticated, order=0))
        nav_register(
            NavItem(
                "Admin",
                "admin:index",
                permissions.can_view_admin,
                order=900,
                prefixes=("/admin/",),
            )
        )
