"""Bad values in ONS and spend files: each is an ImportFileError naming its line and
column (a CommandError from manage.py), never a crash, and nothing is written."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from communities import census, selectors
from communities.importers import ImportFileError
from communities.models import (
    Area,
    CensusTable,
    DeprivationScore,
    Postcode,
    SpendRecord,
)
from communities.services import (
    census_import,
    deprivation_import,
    lookup_import,
    postcode_import,
    spend_import,
)
from tests.communities import onsfiles
from tests.communities.factories import CouncilFactory, LsoaFactory, WardFactory

pytestmark = pytest.mark.django_db


def as_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


@pytest.fixture
def tree(db):
    council = CouncilFactory(name="Northfield Borough Council", gss_code="E06000990")
    ward = WardFactory(name="Town Centre", gss_code="E05099001", parent=council)
    return {
        "ward": ward,
        "lsoa1": LsoaFactory(name="Northfield 001A", gss_code="E01099001", parent=ward),
    }


def ethnic_counts() -> dict[str, int]:
    return {c.code: index + 1 for index, c in enumerate(census.table_leaves("TS021"))}


def errors_of(raised) -> str:
    return " ".join(error["message"] for error in raised.value.errors)


@pytest.mark.parametrize("count", ["2²", "³", "99999999999"])
def test_census_import_refuses_a_count_in_other_digits_or_too_big_to_store(tree, count):
    """A count int() refuses, or one beyond what the database stores, is not a count."""
    # given
    text = onsfiles.census_wide("TS021", {"E01099001": ("001A", ethnic_counts())})
    header, row = text.splitlines()[:2]
    # when
    with pytest.raises(ImportFileError) as raised:
        census_import(file=as_file(f"{header}\n{row.replace(',2,', f',{count},', 1)}\n"))
    # then
    assert raised.value.errors[0]["line"] == 2
    assert "is not a count" in errors_of(raised)
    assert not CensusTable.objects.exists()


def test_import_census_command_reports_a_count_in_other_digits(tree, tmp_path):
    """manage.py import_census ends with a CommandError naming the line, not a traceback."""
    # given
    text = onsfiles.census_wide("TS021", {"E01099001": ("001A", ethnic_counts())})
    path = tmp_path / "census.csv"
    path.write_text(text.replace(",2,", ",²,", 1), encoding="utf-8")
    # when
    with pytest.raises(CommandError) as raised:
        call_command("import_census", str(path))
    # then
    assert "line 2" in str(raised.value)
    assert not CensusTable.objects.exists()


def test_imd_import_refuses_a_rank_in_other_digits(tree):
    # given
    text = onsfiles.imd_file(2025, {"E01099001": ("001A", 1203, 1)}).replace("1,203", "1²")
    # when
    with pytest.raises(ImportFileError) as raised:
        deprivation_import(file=as_file(text), name="x.csv")
    # then
    assert raised.value.errors[0]["line"] == 2
    assert not DeprivationScore.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "1e30", "1000000000000"])
def test_spend_import_refuses_an_amount_that_is_no_number_or_too_big(tree, amount):
    """Not a number, or more than the 12 digits of pounds an amount holds."""
    # given
    text = onsfiles.spend_file([("E05099001", "Parks", "Council", "2024/25", amount)])
    # when
    with pytest.raises(ImportFileError) as raised:
        spend_import(file=as_file(text), name="s.csv")
    # then
    assert raised.value.errors[0]["column"] == "amount"
    assert not SpendRecord.objects.exists()


@pytest.mark.parametrize(("lat", "long"), [("NaN", "-1.5"), ("54.5", "sNaN")])
def test_postcode_import_refuses_a_coordinate_that_is_no_number(tree, lat, long):
    # given
    text = onsfiles.nspl_file([("NF1 2AB", "E01099001", "E05099001", 54.5, -1.5, "")])
    text = text.replace("54.500000", lat).replace("-1.500000", long)
    # when
    with pytest.raises(ImportFileError) as raised:
        postcode_import(file=as_file(text), name="x.csv")
    # then
    assert raised.value.errors[0]["line"] == 2
    assert not Postcode.objects.exists()


def test_a_nul_character_in_a_file_is_refused_with_its_line(tree):
    """PostgreSQL stores no NUL character: the file is refused at the line holding one."""
    # given
    text = onsfiles.ward_lookup([("E01099001", "Northfield 001A", "E05099001", "Town\x00Centre")])
    # when
    with pytest.raises(ImportFileError) as raised:
        lookup_import(file=as_file(text), name="lookup.csv")
    # then
    assert raised.value.errors[0]["line"] == 2
    assert "NUL" in errors_of(raised)
    assert Area.objects.get(gss_code="E05099001").name == "Town Centre"


def test_lookup_import_refuses_a_name_longer_than_an_area_name_holds(tree):
    # given
    text = onsfiles.ward_lookup([("E01099001", "Northfield 001A", "E05099001", "T" * 201)])
    # when
    with pytest.raises(ImportFileError) as raised:
        lookup_import(file=as_file(text), name="lookup.csv")
    # then
    assert raised.value.errors[0]["line"] == 2
    assert Area.objects.get(gss_code="E05099001").name == "Town Centre"


@pytest.mark.parametrize(
    "boundary",
    [
        "[" * 100_000,
        '{"type": "Polygon", "coordinates": [[[NaN, 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[Infinity, 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[["\\u0000", 0], [0, 1], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1e999], [1, 1], [0, 0]]]}',
        '{"type": "Polygon", "coordinates": [1, 2]}',
    ],
)
def test_area_edit_refuses_a_boundary_that_cannot_be_stored_or_drawn(
    client, officer, ward, boundary
):
    """Nesting too deep to read, numbers JSON and PostgreSQL do not hold, a NUL, and
    coordinates that are no longitude and latitude: an error on the form, nothing saved."""
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("communities:area_edit", args=[ward.pk]),
        {
            "name": ward.name,
            "type_label": "",
            "gss_code": ward.gss_code,
            "parent": ward.parent.pk,
            "boundary": boundary,
        },
    )
    # then
    assert "boundary" in response.context["form"].errors
    assert selectors.area_boundary(area=ward) is None


def test_area_edit_keeps_only_the_geometry_of_a_boundary(client, officer, ward):
    """Members beside type and coordinates are left out: one holding a NUL could not be
    stored in PostgreSQL."""
    # given
    client.force_login(officer)
    ring = [[0, 0], [0, 1], [1, 1], [0, 0]]
    # when
    response = client.post(
        reverse("communities:area_edit", args=[ward.pk]),
        {
            "name": ward.name,
            "type_label": "",
            "gss_code": ward.gss_code,
            "parent": ward.parent.pk,
            "boundary": '{"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]], '
            '"name": "\\u0000"}',
        },
    )
    # then
    assert response.status_code == 302
    assert selectors.area_boundary(area=ward) == {"type": "Polygon", "coordinates": [ring]}
