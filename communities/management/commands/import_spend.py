from communities.services import spend_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = "Import spend records (area_code or area, service, agency, financial_year, amount)."
    service = staticmethod(spend_import)
