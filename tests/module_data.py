"""Data built once for a whole test module, as Django's TestCase.setUpTestData does for a
class: made inside a transaction held open for the module and rolled back at its end.

Each test's own transaction is then a savepoint within it, so a test still sees only the
shared data plus its own writes, and nothing leaks into the next module. Only for modules
whose tests all run in transactions (no `transaction=True`, no live server).
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connections, transaction


@contextmanager
def module_transaction(django_db_blocker) -> Iterator[None]:
    """Hold a transaction open on every test database until the block ends, then roll
    back what was written in it."""
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            yield
        finally:
            for alias, atomic in reversed(atomics.items()):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo council (`seed_demo`), built once for the module that asks for it; its
    printed output (the demo logins) is given to the tests."""
    with module_transaction(django_db_blocker):
        output = io.StringIO()
        call_command("seed_demo", "--force", stdout=output)
        yield output.getvalue()
