from communities import census
from communities.services import census_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Census 2021 topic summary table (TS007, TS007A, TS008, TS021, TS030, "
        "TS038, TS077, TS078) downloaded from Nomis, in the bulk (wide) or API (long) "
        "layout."
    )
    service = staticmethod(census_import)

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--table",
            choices=sorted(census.TABLES),
            help="the table the file holds (found from its columns when left out)",
        )

    def service_options(self, options) -> dict:
        return {"table": options.get("table")}
