"""This app's rows of the role x page matrix (see tests/permissions.py)."""

PAGES: dict = {}
