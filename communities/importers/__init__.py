"""Readers for the files officers import: ONS census tables, deprivation indices, lookups,
postcode directories and spend returns.

Each reader checks the whole file before anything is written and raises ImportFileError
naming the line and column at fault. The services in communities.services write what the
readers return, in one transaction.
"""

from .files import CsvFile, ImportFileError, ImportResult, Progress

__all__ = ["CsvFile", "ImportFileError", "ImportResult", "Progress"]
