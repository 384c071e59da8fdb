from django.apps import AppConfig


class MicrocommConfig(AppConfig):
    name = "microcomm"
    verbose_name = "People, organisations and places"

    def ready(self) -> None:
        from celery.schedules import crontab

        from microcomm import audit_verbs, permissions
        from microcomm.celery import periodic_register
        from microcomm.ledger import ledger_register
        from microcomm.models import OutboundEmail
        from microcomm.navigation import NavItem, nav_register
        from microcomm.tasks import send_email, sweep_ledgers

        audit_verbs.register()
        ledger_register(OutboundEmail, task=send_email)
        periodic_register(name="sweep-ledgers", task=sweep_ledgers, schedule=crontab(minute="*"))
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
