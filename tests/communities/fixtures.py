"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
"""

import pytest

from tests.communities.factories import AssetFactory, CommunityOfInterestFactory


@pytest.fixture
def community(db):
    return CommunityOfInterestFactory(name="Older people", census_categories=["age:b85_plus"])


@pytest.fixture
def asset(ward, officer):
    """A published community centre in the role fixtures' ward."""
    return AssetFactory(name="Town Centre Community Hub", area=ward, actor=officer)
