import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coproduction.demo import demo_council_build


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo council, with a login for every role."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo passwords are public: never on live data.",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with published passwords, so it runs only with "
                "DEBUG on. Use --force to run it anyway (never on a live service)."
            )
        # Building the demo makes thousands of audited changes: their INFO lines would
        # bury the logins below. -v 2 shows them.
        if options["verbosity"] < 2:
            logging.disable(logging.INFO)
        try:
            logins = demo_council_build()
        finally:
            logging.disable(logging.NOTSET)
        self.stdout.write(self.style.SUCCESS(f"Demo council ready at {settings.SITE_URL}/"))
        self.stdout.write("Sign in with any of these demo accounts:\n")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.role.label:<18} {login.email:<{width}}  password: {login.password}"
            )
        from coproduction.api.demo import DEMO_API_CLIENTS

        self.stdout.write("Partner API clients (docs/api.md shows how to use them):\n")
        for client in DEMO_API_CLIENTS:
            self.stdout.write(
                f"  {client.agency}: client id {client.client_id}  secret: {client.client_secret}"
            )
