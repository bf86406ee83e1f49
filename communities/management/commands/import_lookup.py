from communities.services import lookup_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an ONS lookup: LSOA to ward (building the council's wards and LSOAs), or "
        "the LSOA 2011 to 2021 best fit."
    )
    service = staticmethod(lookup_import)

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--council",
            metavar="GSS_CODE",
            help="the local authority to import from a national lookup, e.g. E06000005",
        )

    def service_options(self, options) -> dict:
        return {"council_code": options.get("council")}
