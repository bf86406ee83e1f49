from communities.services import deprivation_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the English Indices of Deprivation File 1 (2019 on 2011 LSOAs, or 2025 on "
        "2021 LSOAs) saved as CSV."
    )
    service = staticmethod(deprivation_import)
