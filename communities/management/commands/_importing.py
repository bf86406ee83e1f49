"""What every import command shares: open the file, call the service, print the outcome."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communities.importers import ImportFileError


class ImportCommand(BaseCommand):
    """Subclasses set `service` and `help`, and may add arguments passed as keywords."""

    service = None

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the CSV file, as downloaded")

    def service_options(self, options) -> dict:
        return {}

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        verbosity = options["verbosity"]

        def progress(done, total=None, message="") -> None:
            if verbosity > 1 and message:
                self.stderr.write(message)

        try:
            with path.open("rb") as handle:
                result = type(self).service(
                    file=handle,
                    name=path.name,
                    progress=progress,
                    **self.service_options(options),
                )
        except ImportFileError as exc:
            lines = "\n".join(f"  {line}" for line in exc.describe())
            raise CommandError(f"{path.name}: {exc.message}\n{lines}") from None
        for line in result.lines():
            self.stdout.write(line)
