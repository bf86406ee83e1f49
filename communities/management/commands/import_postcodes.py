from communities.services import postcode_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import the council's postcodes from an ONS Postcode Directory (ONSPD) or NSPL extract."
    service = staticmethod(postcode_import)
