from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coproduction.accounts.models import User
from engagement.imports import ImportRefusedError, participation_import


class Command(BaseCommand):
    help = (
        "Import a CSV of attendance or evaluation sheets (columns: reference, event, date, "
        "postcode, ward_code, year_of_birth, sex, gender_identity, sexual_orientation, "
        "ethnic_group, disability, religion, consent). Nothing is written if any line is wrong."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="as_email",
            default="",
            help="Import as this officer: only events in their areas match, and the audit "
            "trail names them.",
        )

    def handle(self, *args, file: Path, as_email: str, **options) -> None:
        actor = None
        if as_email:
            actor = User.objects.filter(email__iexact=as_email, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account has the email {as_email}.")
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"No file at {file}.") from None
        except OSError as exc:  # a folder, or a file this account may not read
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text: save it as CSV UTF-8.") from None

        def progress(done, total=None, message=""):
            if options["verbosity"] > 1:
                self.stdout.write(f"{done}/{total} {message}")

        try:
            result = participation_import(
                text=text, actor=actor, progress=progress, file_name=file.name
            )
        except ImportRefusedError as exc:
            for error in exc.errors:
                column = f" [{error['column']}]" if error["column"] else ""
                self.stderr.write(f"line {error['line']}{column}: {error['message']}")
            raise CommandError(f"{exc}: nothing was imported.") from None
        for label, value in result.as_dict().items():
            self.stdout.write(f"{label}: {value}")
