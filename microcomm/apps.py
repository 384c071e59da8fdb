from django.apps import AppConfig


class MicrocommConfig(AppConfig):
    name = "microcomm"
    verbose_name = "People, organisations and places"

    def ready(self) -> None:
        from celery.schedules import crontab
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import request_finished, request_started

        from microcomm import audit_verbs, permissions
        from microcomm.audit import register_app_verbs
        from microcomm.celery import periodic_register
        from microcomm.ledger import (
            ledger_register,
            ledger_request_finished,
            ledger_request_started,
        )
        from microcomm.models import OutboundEmail
        from microcomm.navigation import NavItem, nav_register
        from microcomm.tasks import send_email, sweep_ledgers
        from microcomm.two_factor import second_factor_mark_session

        register_app_verbs(audit_verbs)
        user_logged_in.connect(second_factor_mark_session, dispatch_uid="second-factor-session")
        ledger_register(OutboundEmail, task=send_email)
        # Inline tasks (no broker) run after the response, never inside the request.
        request_started.connect(ledger_request_started, dispatch_uid="ledger-inline-hold")
        request_finished.connect(ledger_request_finished, dispatch_uid="ledger-inline-run")
        periodic_register(name="sweep-ledgers", task=sweep_ledgers, schedule=crontab(minute="*"))
        nav_register(NavItem("Home", "microcomm:home", lambda user: user.is_authenticated, order=0))
        nav_register(
            NavItem(
                "Your account",
                "microcomm:account",
                lambda user: user.is_authenticated,
                order=850,
                prefixes=("/account/",),
            )
        )
        nav_register(
            NavItem(
                "Admin",
                "admin:index",
                permissions.can_view_admin,
                order=900,
                prefixes=("/admin/",),
            )
        )
