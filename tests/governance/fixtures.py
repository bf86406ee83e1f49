"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
"""
