"""Reset a person's two-factor authentication from the server (break glass).

For when no administrator can sign in to reset it in the administration site, e.g. the
only administrator lost their phone. Recorded in the audit trail as the system's act.

    manage.py two_factor_reset someone@council.gov.uk --reason "lost phone, ticket 1234"
"""

from django.core.management.base import BaseCommand, CommandError

from coproduction.accounts.models import User
from coproduction.accounts.services import two_factor_reset


class Command(BaseCommand):
    help = "Remove a person's authenticator app and backup codes and sign them out."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The person's email address")
        parser.add_argument("--reason", required=True, help="Why, for the record")

    def handle(self, *args, email: str, reason: str, **options) -> None:
        if not reason.strip():
            raise CommandError("Give the reason for the reset with --reason.")
        try:
            user = User.objects.get_by_natural_key(email.strip())
        except User.DoesNotExist:
            raise CommandError(f"No account has the email address {email!r}.") from None
        two_factor_reset(user=user, actor=None, reason=reason.strip())
        self.stdout.write(
            f"Two-factor authentication reset for {user.email}: they set up a new app at "
            "their next sign-in."
        )
