"""The ONS file imports: census tables, deprivation, lookups, postcodes and spend."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from communities import census
from communities.importers import ImportFileError
from communities.models import (
    Area,
    CensusTable,
    DeprivationScore,
    LsoaBestFit,
    PopulationBaseline,
    Postcode,
    SpendRecord,
)
from communities.postcodes import postcode_locate
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
    other = WardFactory(name="Eastgate", gss_code="E05099002", parent=council)
    return {
        "council": council,
        "ward": ward,
        "other": other,
        "lsoa1": LsoaFactory(name="Northfield 001A", gss_code="E01099001", parent=ward),
        "lsoa2": LsoaFactory(name="Northfield 001B", gss_code="E01099002", parent=ward),
        "lsoa3": LsoaFactory(name="Northfield 002A", gss_code="E01099003", parent=other),
    }


def ethnic_counts(scale: int = 1) -> dict[str, int]:
    leaves = census.table_leaves("TS021")
    return {c.code: (index + 1) * scale for index, c in enumerate(leaves)}


def counts(area: Area, table: str) -> dict[str, int]:
    return dict(
        PopulationBaseline.objects.filter(area=area, table__table=table).values_list(
            "category", "count"
        )
    )


def test_census_import_reads_ts021_bulk_with_both_levels_and_its_own_total(tree):
    """Each category is stored under its stable code, groups and their parts alike, and
    the table keeps its own (perturbed) total."""
    # given
    leaves = ethnic_counts()
    text = onsfiles.census_wide(
        "TS021",
        {
            "E01099001": ("Northfield 001A", leaves),
            "E01099002": ("Northfield 001B", ethnic_counts(2)),
            "E01000999": ("Elsewhere 001A", ethnic_counts(3)),
        },
        totals={"E01099001": sum(leaves.values()) + 3},
    )
    # when
    result = census_import(file=as_file(text), name="census2021-ts021-lsoa.csv")
    # then
    assert (result.created, result.updated, result.skipped) == (2, 0, 1)
    table = CensusTable.objects.get(area=tree["lsoa1"], table="TS021")
    assert table.total == sum(leaves.values()) + 3
    assert table.dimension == "ethnic_group"
    stored = counts(tree["lsoa1"], "TS021")
    assert stored["asian_bangladeshi"] == leaves["asian_bangladeshi"]
    asian = [c.code for c in census.ETHNIC_GROUP.categories if c.parent == "asian"]
    assert stored["asian"] == sum(leaves[code] for code in asian)
    assert set(stored) == {c.code for c in census.ETHNIC_GROUP.categories}
    assert not Area.objects.filter(gss_code="E01000999").exists()
    assert any("do not add up" in note for note in result.notes)


def test_census_import_leaves_ts007_subtotals_out_so_nobody_is_counted_twice(tree):
    """TS007 as published: "; measures: Value" columns, subtotals before single years."""
    # given
    singles = {f"y{age}": 10 + age % 7 for age in range(101)}
    text = onsfiles.census_wide("TS007", {"E05099001": ("Town Centre", singles)}, suffix=True)
    assert "Age: Aged 16 to 19 years; measures: Value" in text.splitlines()[0]
    # when
    result = census_import(file=as_file(text), name="census2021-ts007-ward.csv")
    # then
    stored = counts(tree["ward"], "TS007")
    assert set(stored) == set(singles)
    assert sum(stored.values()) == CensusTable.objects.get(area=tree["ward"], table="TS007").total
    assert "11 subtotal categories recognised and left out" in " ".join(result.notes)


def test_census_import_reads_nested_age_subtotal_labels(tree):
    """'Age: Aged 4 years and under: Aged under 1 year' is the single year under 1."""
    # given
    singles = {f"y{age}": 5 for age in range(101)}
    singles["y0"] = 17
    text = onsfiles.census_wide("TS007", {"E01099001": ("001A", singles)}, nested_age=True)
    assert "Age: Aged 4 years and under: Aged under 1 year" in text.splitlines()[0]
    # when
    census_import(file=as_file(text), name="ts007.csv")
    # then
    stored = counts(tree["lsoa1"], "TS007")
    assert stored["y0"] == 17
    assert "b0_4" not in stored
    assert len(stored) == 101


def test_census_import_reads_ts007a_bands_and_ts008_all_persons(tree):
    # given
    bands = {c.code: 30 for c in census.AGE_FIVE_YEAR_BANDS}
    ts007a = onsfiles.census_wide("TS007A", {"E01099001": ("001A", bands)})
    ts008 = onsfiles.census_wide(
        "TS008", {"E01099001": ("001A", {"female": 280, "male": 262})}, suffix=True
    )
    assert "Sex: All persons; measures: Value" in ts008
    # when
    census_import(file=as_file(ts007a), name="ts007a.csv")
    census_import(file=as_file(ts008), name="ts008.csv")
    # then
    assert counts(tree["lsoa1"], "TS007A") == bands
    assert counts(tree["lsoa1"], "TS008") == {"female": 280, "male": 262}
    assert CensusTable.objects.get(area=tree["lsoa1"], table="TS008").total == 542


def test_census_import_reads_the_api_layout_values_only(tree):
    """The long API CSV: Percent rows are ignored, aggregates (1001+) stored once."""
    # given
    leaves = {
        "disabled_limited_a_lot": 40,
        "disabled_limited_a_little": 60,
        "not_disabled_condition_not_limited": 50,
        "not_disabled_no_condition": 850,
    }
    text = onsfiles.census_long("TS038", {"E05099001": ("Town Centre", leaves)})
    assert "C2021_DISABILITY_5_NAME" in text
    assert "Percent" in text
    # when
    result = census_import(file=as_file(text), name="nomis-api.csv")
    # then
    assert result.created == 1
    stored = counts(tree["ward"], "TS038")
    assert stored["disabled"] == 100
    assert stored["not_disabled"] == 900
    assert CensusTable.objects.get(area=tree["ward"], table="TS038").total == 1000


@pytest.mark.parametrize("table", ["TS030", "TS077", "TS078"])
def test_census_import_keeps_not_answered_on_voluntary_questions(tree, table):
    # given
    leaves = {c.code: 11 for c in census.table_leaves(table)}
    text = onsfiles.census_wide(table, {"E01099002": ("001B", leaves)})
    # when
    census_import(file=as_file(text), name=f"{table}.csv")
    # then
    stored = counts(tree["lsoa2"], table)
    assert stored[census.NOT_ANSWERED] == 11
    assert sum(stored.values()) == CensusTable.objects.get(table=table).total


def test_census_import_again_changes_nothing_and_a_new_edition_replaces(tree):
    # given
    text = onsfiles.census_wide("TS021", {"E01099001": ("001A", ethnic_counts())})
    census_import(file=as_file(text), name="a.csv")
    # when
    again = census_import(file=as_file(text), name="a.csv")
    changed = census_import(
        file=as_file(onsfiles.census_wide("TS021", {"E01099001": ("001A", ethnic_counts(2))})),
        name="b.csv",
    )
    # then
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert (changed.created, changed.updated) == (0, 1)
    assert CensusTable.objects.count() == 1
    assert PopulationBaseline.objects.count() == len(census.ETHNIC_GROUP.categories)
    assert counts(tree["lsoa1"], "TS021")["white_irish"] == ethnic_counts(2)["white_irish"]


def test_census_import_stops_at_a_bad_count_and_writes_nothing(tree):
    # given
    text = onsfiles.census_wide(
        "TS021",
        {"E01099001": ("001A", ethnic_counts()), "E01099002": ("001B", ethnic_counts())},
    )
    lines = text.splitlines()
    lines[2] = lines[2].replace(",2,", ",two,", 1)
    # when
    with pytest.raises(ImportFileError) as raised:
        census_import(file=as_file("\n".join(lines)), name="bad.csv")
    # then
    error = raised.value.errors[0]
    assert error["line"] == 3
    assert error["column"].startswith("Ethnic group: ")
    assert "'two' is not a count" in error["message"]
    assert not CensusTable.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda h: h.replace("Ethnic group: White: Roma,", "Ethnic group: White: Martian,"),
            "Not a category",
        ),
        (
            lambda h: h.replace(
                "Ethnic group: Total: All usual residents", "Ethnic group: White: Roma"
            ),
            "are both named 'Ethnic group: White: Roma': keep one",
        ),
        (
            # the same category under another name: with the measure Nomis may add
            lambda h: h.replace(
                "Ethnic group: Total: All usual residents",
                "Ethnic group: White: Roma; measures: Value",
            ),
            "Repeats the column",
        ),
        (lambda h: h.replace("geography code", "code"), "not a Nomis census file"),
        (
            lambda h: h.replace("Ethnic group: White: Roma,", "Religion: Hindu,"),
            "one census variable",
        ),
    ],
)
def test_census_import_refuses_a_header_it_cannot_read(tree, change, message):
    # given
    text = onsfiles.census_wide("TS021", {"E01099001": ("001A", ethnic_counts())})
    header, rest = text.split("\n", 1)
    # when
    with pytest.raises(ImportFileError) as raised:
        census_import(file=as_file(change(header) + "\n" + rest), name="bad.csv")
    # then
    assert message in " ".join(e["message"] for e in raised.value.errors)
    assert raised.value.errors[0]["line"] == 1
    assert not CensusTable.objects.exists()


def test_census_import_refuses_a_table_named_for_the_wrong_file(tree):
    text = onsfiles.census_wide("TS008", {"E01099001": ("001A", {"female": 1, "male": 2})})
    with pytest.raises(ImportFileError, match="error"):
        census_import(file=as_file(text), name="x.csv", table="TS021")


def test_import_census_command_prints_what_it_did_and_fails_with_line_and_column(tree, tmp_path):
    # given
    good = tmp_path / "census2021-ts008-lsoa.csv"
    good.write_text(
        onsfiles.census_wide("TS008", {"E01099001": ("001A", {"female": 5, "male": 6})})
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text().replace(",5,", ",-5,"))
    out = io.StringIO()
    # when
    call_command("import_census", str(good), stdout=out)
    with pytest.raises(CommandError) as raised:
        call_command("import_census", str(bad))
    # then
    assert "Census table TS008: 1 created, 0 updated" in out.getvalue()
    assert "line 2, column 'Sex: Female': '-5' is not a count." in str(raised.value)
    assert CensusTable.objects.get().total == 11


def test_import_census_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_census", str(tmp_path / "none.csv"))


def test_census_import_refuses_a_file_that_is_not_utf8(tree):
    with pytest.raises(ImportFileError, match="error") as raised:
        census_import(file=io.BytesIO(b"date,geography,geography code\n\xff\xfe"), name="x.csv")
    assert "UTF-8" in raised.value.errors[0]["message"]


# -- Deprivation


def test_imd_2025_import_scores_2021_lsoas(tree):
    # given
    text = onsfiles.imd_file(
        2025,
        {
            "E01099001": ("001A", 1203, 1),
            "E01099002": ("001B", 30500, 10),
            "E01000001": ("x", 5, 1),
        },
    )
    # when
    result = deprivation_import(file=as_file(text), name="File_1_IoD2025.csv")
    # then
    assert (result.created, result.skipped) == (2, 1)
    score = DeprivationScore.objects.get(lsoa=tree["lsoa1"], edition=2025)
    assert (score.rank, score.decile, score.via_best_fit) == (1203, 1, False)


def test_imd_2019_import_reaches_changed_lsoas_through_the_best_fit(tree):
    # given: 001A kept its code; 002A was formed by merging two 2011 LSOAs.
    lookup_import(
        file=as_file(
            onsfiles.best_fit_lookup(
                [
                    ("E01099001", "E01099001", "U"),
                    ("E01011111", "E01099003", "M"),
                    ("E01011112", "E01099003", "M"),
                ]
            )
        ),
        name="best-fit.csv",
    )
    text = onsfiles.imd_file(
        2019,
        {
            "E01099001": ("001A", 2000, 1),
            "E01011111": ("old", 10000, 4),
            "E01011112": ("old", 12000, 4),
        },
    )
    # when
    result = deprivation_import(file=as_file(text), name="File_1_-_IMD2019.csv")
    # then
    assert result.created == 2
    merged = DeprivationScore.objects.get(lsoa=tree["lsoa3"], edition=2019)
    assert (merged.rank, merged.decile, merged.via_best_fit) == (11000, 4, True)
    assert not DeprivationScore.objects.get(lsoa=tree["lsoa1"]).via_best_fit
    assert LsoaBestFit.objects.count() == 3


def test_imd_import_refuses_a_decile_out_of_range(tree):
    text = onsfiles.imd_file(2025, {"E01099001": ("001A", 1203, 11)})
    with pytest.raises(ImportFileError) as raised:
        deprivation_import(file=as_file(text), name="x.csv")
    assert raised.value.errors[0]["line"] == 2
    assert raised.value.errors[0]["column"].startswith(
        "Index of Multiple Deprivation (IMD) Decile"
    )
    assert not DeprivationScore.objects.exists()


# -- Lookups


def test_lookup_import_builds_the_tree_and_keeps_an_officers_grouping(tree):
    # given: an officer put Town Centre into an Area Action Partnership.
    aap = Area.objects.create(name="Central", kind=Area.Kind.AREA, parent=tree["council"])
    tree["ward"].parent = aap
    tree["ward"].save()
    text = onsfiles.ward_lookup(
        [
            ("E01099001", "Northfield 001A", "E05099001", "Town Centre"),
            ("E01099004", "Northfield 003A", "E05099003", "Station Road"),
            ("E01099005", "Northfield 003B", "E05099003", "Station Road"),
        ]
    )
    # when
    result = lookup_import(file=as_file(text), name="LSOA21_WD22_LAD22.csv")
    again = lookup_import(file=as_file(text), name="LSOA21_WD22_LAD22.csv")
    # then
    new_ward = Area.objects.get(gss_code="E05099003")
    assert new_ward.parent == tree["council"]
    assert new_ward.kind == Area.Kind.WARD
    assert set(new_ward.children.values_list("gss_code", flat=True)) == {"E01099004", "E01099005"}
    tree["ward"].refresh_from_db()
    assert tree["ward"].parent == aap
    assert result.created == 3
    assert (again.created, again.updated) == (0, 0)


def test_lookup_import_creates_the_council_from_a_one_council_file(db):
    text = onsfiles.ward_lookup(
        [("E01000001", "Hartlepool 001A", "E05008942", "Burn Valley")],
        lad=("E06000001", "Hartlepool"),
    )
    lookup_import(file=as_file(text), name="lookup.csv")
    council = Area.objects.get(kind=Area.Kind.COUNCIL)
    assert (council.name, council.gss_code) == ("Hartlepool", "E06000001")
    assert Area.objects.get(gss_code="E01000001").parent.parent == council


def test_a_national_lookup_without_the_council_says_how_to_name_it_on_either_path(db):
    # given: a national file, and no council here yet
    first = onsfiles.ward_lookup(
        [("E01000001", "Hartlepool 001A", "E05008942", "Burn Valley")],
        lad=("E06000001", "Hartlepool"),
    )
    second = onsfiles.ward_lookup(
        [("E01000002", "Darlington 001A", "E05001234", "Bank Top")],
        lad=("E06000005", "Darlington"),
    )
    text = first + second.split("\n", 1)[1]
    # when
    with pytest.raises(ImportFileError) as raised:
        lookup_import(file=as_file(text), name="national.csv")
    # then the upload page's box is named as well as the command's option
    message = raised.value.errors[0]["message"]
    assert "--council" in message
    assert "Council's GSS code" in message
    assert not Area.objects.exists()


def test_lookup_import_refuses_a_bad_ward_code(tree):
    text = onsfiles.ward_lookup([("E01099001", "001A", "E0509900X", "Town Centre")])
    with pytest.raises(ImportFileError) as raised:
        lookup_import(file=as_file(text), name="x.csv")
    assert (raised.value.errors[0]["line"], raised.value.errors[0]["column"]) == (2, "WD22CD")


# -- Postcodes


def test_postcode_import_keeps_the_councils_postcodes_and_locates_them(tree):
    # given
    text = onsfiles.nspl_file(
        [
            ("NF1 2AB", "E01099001", "E05099001", 54.5236, -1.5595, ""),
            ("NF1 2AD", "E01099003", "E05099002", None, None, ""),
            ("NF9 9ZZ", "E01099002", "E05099001", 54.5, -1.5, "202001"),
            ("ZZ1 1ZZ", "E01000001", "E05000001", 51.5, -0.1, ""),
        ]
    )
    # when
    result = postcode_import(file=as_file(text), name="NSPL_extract.csv")
    again = postcode_import(file=as_file(text), name="NSPL_extract.csv")
    # then
    assert (result.created, again.unchanged) == (3, 3)
    location = postcode_locate(postcode="nf12ab")
    assert location.lsoa == tree["lsoa1"]
    assert location.ward == tree["ward"]
    assert location.latitude == pytest.approx(54.5236)
    assert Postcode.objects.get(postcode="NF1 2AD").latitude is None
    assert Postcode.objects.get(postcode="NF9 9ZZ").terminated
    assert not Postcode.objects.filter(postcode="ZZ1 1ZZ").exists()


def test_postcode_import_refuses_a_malformed_postcode(tree):
    text = onsfiles.nspl_file([("NF1 2AB", "E01099001", "E05099001", 54.5, -1.5, "")])
    text = text.replace(",NF1 2AB,", ",NOT A CODE,")
    with pytest.raises(ImportFileError) as raised:
        postcode_import(file=as_file(text), name="x.csv")
    assert (raised.value.errors[0]["line"], raised.value.errors[0]["column"]) == (2, "pcds")
    assert not Postcode.objects.exists()


# -- Spend


def test_spend_import_by_code_and_name_is_idempotent(tree):
    # given
    text = onsfiles.spend_file(
        [
            (
                "E05099001",
                "Street cleansing",
                "Northfield Borough Council",
                "2024/25",
                "£125,000.50",
            ),
            ("E05099002", "Youth work", "Northfield Borough Council", "2024-25", "40000"),
        ]
    )
    # when
    first = spend_import(file=as_file(text), name="spend.csv")
    again = spend_import(file=as_file(text), name="spend.csv")
    # then
    assert (first.created, again.unchanged) == (2, 2)
    record = SpendRecord.objects.get(area=tree["ward"])
    assert (record.financial_year, record.amount) == (2024, Decimal("125000.50"))
    assert record.financial_year_label == "2024/25"


def test_spend_import_refuses_an_area_outside_the_officers(tree):
    text = onsfiles.spend_file([("Eastgate", "Parks", "Council", "2024/25", "10")], by_code=False)
    with pytest.raises(ImportFileError) as raised:
        spend_import(
            file=as_file(text), name="s.csv", areas=Area.objects.filter(pk=tree["ward"].pk)
        )
    assert (raised.value.errors[0]["line"], raised.value.errors[0]["column"]) == (2, "area")
    assert not SpendRecord.objects.exists()


@pytest.mark.parametrize(
    ("year", "amount", "column"),
    [
        ("2024/26", "10", "financial_year"),
        ("2024/25", "-10", "amount"),
        ("2024/25", "ten", "amount"),
    ],
)
def test_spend_import_refuses_bad_values(tree, year, amount, column):
    text = onsfiles.spend_file([("E05099001", "Parks", "Council", year, amount)])
    with pytest.raises(ImportFileError) as raised:
        spend_import(file=as_file(text), name="s.csv")
    assert raised.value.errors[0]["column"] == column


# -- Bad values: an error naming the line and column, nothing written -----------------


def errors_of(raised) -> str:
    return " ".join(error["message"] for error in raised.value.errors)


def test_an_import_refuses_a_file_naming_a_column_twice(tree):
    """Which of two `amount` columns to read would be a guess: the file is refused."""
    # given: the second amount column in other case, and two blank names (Excel's trailing
    # commas) that are no repeat
    text = onsfiles.spend_file([("E05099001", "Parks", "Council", "2024/25", "10")])
    header, row = text.splitlines()[:2]
    text = f"{header},AMOUNT,,\n{row},99,,\n"
    # when
    with pytest.raises(ImportFileError) as raised:
        spend_import(file=as_file(text), name="s.csv")
    # then
    (error,) = raised.value.errors
    assert (error["line"], error["column"]) == (1, "AMOUNT")
    assert "are both named 'AMOUNT': keep one" in error["message"]
    assert not SpendRecord.objects.exists()


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
