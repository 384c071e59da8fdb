from django.core.management.base import BaseCommand

from microcomm.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_RECOVERY_CODES, demo_seed


class Command(BaseCommand):
    help = "Load the fictional demo scheme. Safe to run again: it keeps one copy."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--print-logins", action="store_true", help="Only print the demo logins."
        )

    def handle(self, *args: object, **options: object) -> None:
        if not options["print_logins"]:
            demo_seed()
            self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<28} {login.email}")
        self.stdout.write(
            f"Every other demo person (the groups' members, whose addresses end in "
            f"@example.org) signs in with {DEMO_PASSWORD} too."
        )
        self.stdout.write("")
        self.stdout.write(
            "The admin and the commissioner then enter a code: use one of these recovery "
            "codes (each works once; seed_demo restores them all):"
        )
        self.stdout.write("  " + " ".join(DEMO_RECOVERY_CODES))
