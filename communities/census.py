"""Census 2021 classifications, under the stable codes every part of Coproduce shares.

The census importers store each baseline count under `(dimension.code, category.code)`;
the equality-monitoring form stores each participant's answer under the same codes; the
inclusion reports compare the two and key their JSON by them. Codes never change once
published: labels may be reworded, codes may not.

Labels are the census's own (the part of a Nomis column name after "<Variable>: "), so an
importer can find a category by its label. Sources: ONS Census 2021 tables TS007, TS007A,
TS008, TS021, TS030, TS038, TS077, TS078 (see ../shared/REPORT-METRICS.md section 3).
"""

import re
from dataclasses import dataclass
from functools import cache, cached_property

# A participant's answer when they chose not to say: its own code, never NULL, so that it
# stays distinct from "not asked" (blank).
PREFER_NOT_TO_SAY = "prefer_not_to_say"
PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"
# The census's own "Not answered" on its voluntary questions; dropped from the population.
NOT_ANSWERED = "not_answered"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    # The broader category this one nests in (e.g. "asian" for "asian_bangladeshi").
    parent: str | None = None
    # For age: the inclusive span of years of age this category covers.
    ages: tuple[int, int] | None = None


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    # ONS table ids whose categories this dimension holds, most detailed first.
    tables: tuple[str, ...]
    # Who the census table counts: every usual resident, or those aged 16 and over.
    minimum_age: int
    categories: tuple[Category, ...]
    # Voluntary census questions carry "Not answered", which is removed from the population.
    voluntary: bool = False
    # Whether participants answer this dimension on the equality-monitoring form directly
    # (age is derived from year of birth instead).
    asked: bool = True
    question: str = ""
    hint: str = ""

    @cached_property
    def _by_code(self) -> dict[str, Category]:
        return {category.code: category for category in self.categories}

    def category(self, code: str) -> Category:
        return self._by_code[code]

    def has(self, code: str) -> bool:
        return code in self._by_code

    @property
    def leaves(self) -> tuple[Category, ...]:
        """The most detailed categories: the ones a participant answers with."""
        parents = {category.parent for category in self.categories if category.parent}
        return tuple(
            c for c in self.categories if c.code not in parents and c.code != NOT_ANSWERED
        )

    @property
    def top_level(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.parent is None and c.code != NOT_ANSWERED)

    def roll_up(self, code: str) -> str:
        """The top-level category a code belongs to (itself when already top level)."""
        category = self.category(code)
        while category.parent is not None:
            category = self.category(category.parent)
        return category.code

    def answer_choices(self) -> list[tuple[str, str]]:
        """(code, label) choices for the equality form, with "Prefer not to say" last."""
        return [(c.code, c.label) for c in self.leaves] + [
            (PREFER_NOT_TO_SAY, PREFER_NOT_TO_SAY_LABEL)
        ]


def _age_single_years() -> tuple[Category, ...]:
    years = [Category("y0", "Aged under 1 year", ages=(0, 0))]
    years.append(Category("y1", "Aged 1 year", ages=(1, 1)))
    years += [Category(f"y{age}", f"Aged {age} years", ages=(age, age)) for age in range(2, 100)]
    years.append(Category("y100", "Aged 100 years and over", ages=(100, 150)))
    return tuple(years)


def _age_five_year_bands() -> tuple[Category, ...]:
    bands = [Category("b0_4", "Aged 4 years and under", ages=(0, 4))]
    bands += [
        Category(f"b{low}_{low + 4}", f"Aged {low} to {low + 4} years", ages=(low, low + 4))
        for low in range(5, 85, 5)
    ]
    bands.append(Category("b85_plus", "Aged 85 years and over", ages=(85, 150)))
    return tuple(bands)


# TS007 (single years) and TS007A (18 five-year bands) are two views of one population: a
# baseline row is stored under whichever the imported table gives. Reports derive their
# own bands (REPORT_AGE_BANDS) from single years where they were imported, which is what
# lets the population be restricted to an eligible age such as 16+.
AGE_SINGLE_YEARS = _age_single_years()
AGE_FIVE_YEAR_BANDS = _age_five_year_bands()

AGE = Dimension(
    code="age",
    label="Age",
    tables=("TS007", "TS007A"),
    minimum_age=0,
    categories=AGE_SINGLE_YEARS + AGE_FIVE_YEAR_BANDS,
    asked=False,
    question="What is your year of birth?",
)

# Bands the reports show; they nest in the census's five-year bands (REPORT-METRICS 3).
REPORT_AGE_BANDS: tuple[Category, ...] = (
    Category("16_24", "16 to 24", ages=(16, 24)),
    Category("25_34", "25 to 34", ages=(25, 34)),
    Category("35_49", "35 to 49", ages=(35, 49)),
    Category("50_64", "50 to 64", ages=(50, 64)),
    Category("65_74", "65 to 74", ages=(65, 74)),
    Category("75_plus", "75 and over", ages=(75, 150)),
)


def report_age_band(age: int) -> str | None:
    """The report band code for an age in years, or None when below the youngest band."""
    for band in REPORT_AGE_BANDS:
        low, high = band.ages
        if low <= age <= high:
            return band.code
    return None


SEX = Dimension(
    code="sex",
    label="Sex",
    tables=("TS008",),
    minimum_age=0,
    categories=(Category("female", "Female"), Category("male", "Male")),
    question="What is your sex?",
)

GENDER_IDENTITY = Dimension(
    code="gender_identity",
    label="Gender identity",
    tables=("TS078",),
    minimum_age=16,
    voluntary=True,
    categories=(
        Category("same_as_sex", "Gender identity the same as sex registered at birth"),
        Category(
            "different_no_identity",
            "Gender identity different from sex registered at birth but no specific "
            "identity given",
        ),
        Category("trans_woman", "Trans woman"),
        Category("trans_man", "Trans man"),
        Category("other", "All other gender identities"),
        Category(NOT_ANSWERED, "Not answered"),
    ),
    question="Is the gender you identify with the same as your sex registered at birth?",
)

SEXUAL_ORIENTATION = Dimension(
    code="sexual_orientation",
    label="Sexual orientation",
    tables=("TS077",),
    minimum_age=16,
    voluntary=True,
    categories=(
        Category("straight", "Straight or Heterosexual"),
        Category("gay_lesbian", "Gay or Lesbian"),
        Category("bisexual", "Bisexual"),
        Category("other", "All other sexual orientations"),
        Category(NOT_ANSWERED, "Not answered"),
    ),
    question="Which of the following best describes your sexual orientation?",
)

ETHNIC_GROUP = Dimension(
    code="ethnic_group",
    label="Ethnic group",
    tables=("TS021",),
    minimum_age=0,
    categories=(
        Category("asian", "Asian, Asian British or Asian Welsh"),
        Category("asian_bangladeshi", "Bangladeshi", parent="asian"),
        Category("asian_chinese", "Chinese", parent="asian"),
        Category("asian_indian", "Indian", parent="asian"),
        Category("asian_pakistani", "Pakistani", parent="asian"),
        Category("asian_other", "Other Asian", parent="asian"),
        Category("black", "Black, Black British, Black Welsh, Caribbean or African"),
        Category("black_african", "African", parent="black"),
        Category("black_caribbean", "Caribbean", parent="black"),
        Category("black_other", "Other Black", parent="black"),
        Category("mixed", "Mixed or Multiple ethnic groups"),
        Category("mixed_white_asian", "White and Asian", parent="mixed"),
        Category("mixed_white_black_african", "White and Black African", parent="mixed"),
        Category("mixed_white_black_caribbean", "White and Black Caribbean", parent="mixed"),
        Category("mixed_other", "Other Mixed or Multiple ethnic groups", parent="mixed"),
        Category("white", "White"),
        Category(
            "white_british",
            "English, Welsh, Scottish, Northern Irish or British",
            parent="white",
        ),
        Category("white_irish", "Irish", parent="white"),
        Category("white_gypsy_traveller", "Gypsy or Irish Traveller", parent="white"),
        Category("white_roma", "Roma", parent="white"),
        Category("white_other", "Other White", parent="white"),
        Category("other", "Other ethnic group"),
        Category("other_arab", "Arab", parent="other"),
        Category("other_any", "Any other ethnic group", parent="other"),
    ),
    question="What is your ethnic group?",
)

DISABILITY = Dimension(
    code="disability",
    label="Disability",
    tables=("TS038",),
    minimum_age=0,
    categories=(
        Category("disabled", "Disabled under the Equality Act"),
        Category(
            "disabled_limited_a_lot", "Day-to-day activities limited a lot", parent="disabled"
        ),
        Category(
            "disabled_limited_a_little",
            "Day-to-day activities limited a little",
            parent="disabled",
        ),
        Category("not_disabled", "Not disabled under the Equality Act"),
        Category(
            "not_disabled_condition_not_limited",
            "Has long term physical or mental health condition but day-to-day activities "
            "are not limited",
            parent="not_disabled",
        ),
        Category(
            "not_disabled_no_condition",
            "No long term physical or mental health conditions",
            parent="not_disabled",
        ),
    ),
    question=(
        "Do you have any physical or mental health conditions or illnesses lasting or "
        "expected to last 12 months or more?"
    ),
)

RELIGION = Dimension(
    code="religion",
    label="Religion",
    tables=("TS030",),
    minimum_age=0,
    voluntary=True,
    categories=(
        Category("no_religion", "No religion"),
        Category("christian", "Christian"),
        Category("buddhist", "Buddhist"),
        Category("hindu", "Hindu"),
        Category("jewish", "Jewish"),
        Category("muslim", "Muslim"),
        Category("sikh", "Sikh"),
        Category("other", "Other religion"),
        Category(NOT_ANSWERED, "Not answered"),
    ),
    question="What is your religion?",
)

DIMENSIONS: tuple[Dimension, ...] = (
    AGE,
    SEX,
    GENDER_IDENTITY,
    SEXUAL_ORIENTATION,
    ETHNIC_GROUP,
    DISABILITY,
    RELIGION,
)

# The table each ONS id belongs to, and its Nomis API dataset and dimension names.
TABLES: dict[str, dict[str, str]] = {
    "TS007": {"dimension": "age", "nomis": "NM_2027_1", "nomis_dimension": "c2021_age_102"},
    "TS007A": {"dimension": "age", "nomis": "NM_2020_1", "nomis_dimension": "c2021_age_19"},
    "TS008": {"dimension": "sex", "nomis": "NM_2028_1", "nomis_dimension": "c_sex"},
    "TS021": {
        "dimension": "ethnic_group",
        "nomis": "NM_2041_1",
        "nomis_dimension": "c2021_eth_20",
    },
    "TS030": {
        "dimension": "religion",
        "nomis": "NM_2049_1",
        "nomis_dimension": "c2021_religion_10",
    },
    "TS038": {
        "dimension": "disability",
        "nomis": "NM_2056_1",
        "nomis_dimension": "c2021_disability_5",
    },
    "TS077": {
        "dimension": "sexual_orientation",
        "nomis": "NM_2060_1",
        "nomis_dimension": "c2021_sexor_6",
    },
    "TS078": {
        "dimension": "gender_identity",
        "nomis": "NM_2061_1",
        "nomis_dimension": "c2021_genderid_7",
    },
}


@cache
def dimension(code: str) -> Dimension:
    for candidate in DIMENSIONS:
        if candidate.code == code:
            return candidate
    raise KeyError(code)


def is_valid_answer(dimension_code: str, answer: str) -> bool:
    """Whether `answer` may be stored as a participant's answer for the dimension."""
    if answer in ("", PREFER_NOT_TO_SAY):
        return True
    target = dimension(dimension_code)
    return any(category.code == answer for category in target.leaves)


def disability_from_questions(*, has_condition: str, limited: str) -> str:
    """The Equality Act category from the census's two disability questions.

    has_condition: "yes", "no" or PREFER_NOT_TO_SAY (blank: not answered).
    limited: "a_lot", "a_little", "not_at_all" (asked only when has_condition is "yes").
    """
    if has_condition == "":
        return ""
    if has_condition == PREFER_NOT_TO_SAY:
        return PREFER_NOT_TO_SAY
    if has_condition == "no":
        return "not_disabled_no_condition"
    return {
        "a_lot": "disabled_limited_a_lot",
        "a_little": "disabled_limited_a_little",
        "not_at_all": "not_disabled_condition_not_limited",
        PREFER_NOT_TO_SAY: PREFER_NOT_TO_SAY,
    }.get(limited, "")


# -- Reading ONS files ------------------------------------------------------------------
# Nomis names each table's variable as the prefix of its columns ("Ethnic group: White").
VARIABLE_DIMENSIONS: dict[str, str] = {
    "age": "age",
    "sex": "sex",
    "ethnic group": "ethnic_group",
    "disability": "disability",
    "religion": "religion",
    "sexual orientation": "sexual_orientation",
    "gender identity": "gender_identity",
}

# A column or category whose label starts with one of these is the table's total.
TOTAL_LABELS = ("total", "all persons", "all usual residents")

# Labels the census has published in more than one wording, mapped to the wording above.
LABEL_ALIASES: dict[str, str] = {
    "white: english/welsh/scottish/northern irish/british": (
        "English, Welsh, Scottish, Northern Irish or British"
    ),
    "gay or lesbian": "Gay or Lesbian",
    "straight or heterosexual": "Straight or Heterosexual",
    "gender identity the same as sex registered at birth": (
        "Gender identity the same as sex registered at birth"
    ),
    "does not apply": "Not answered",
}

# Each table's categories: which codes of its dimension it publishes.
_AGE_SINGLE_CODES = frozenset(c.code for c in AGE_SINGLE_YEARS)
_AGE_BAND_CODES = frozenset(c.code for c in AGE_FIVE_YEAR_BANDS)


def table_categories(table: str) -> tuple[Category, ...]:
    """The categories a census table publishes, every level included (never the total)."""
    dim = dimension(TABLES[table]["dimension"])
    if table == "TS007":
        return tuple(c for c in dim.categories if c.code in _AGE_SINGLE_CODES)
    if table == "TS007A":
        return tuple(c for c in dim.categories if c.code in _AGE_BAND_CODES)
    return dim.categories


def table_leaves(table: str) -> tuple[Category, ...]:
    """The most detailed level of a table: its counts add up to the table's total."""
    categories = table_categories(table)
    parents = {c.parent for c in categories if c.parent}
    return tuple(c for c in categories if c.code not in parents)


def _normalise(label: str) -> str:
    return " ".join(label.replace("\u2019", "'").split()).strip().lower()


def is_total_label(label: str) -> bool:
    return _normalise(label).startswith(TOTAL_LABELS)


@cache
def _labels(table: str) -> dict[tuple[str, str], str]:
    """(parent label or "", label) -> category code, for a table's categories."""
    categories = table_categories(table)
    by_code = {c.code: c for c in categories}
    found: dict[tuple[str, str], str] = {}
    for category in categories:
        parent = by_code[category.parent].label if category.parent else ""
        found[(_normalise(parent), _normalise(category.label))] = category.code
        found.setdefault(("*", _normalise(category.label)), category.code)
    return found


AGE_SPAN_RE = re.compile(
    r"^aged (?:(?P<low>\d+) to (?P<high>\d+) years|(?P<under>\d+) years and under"
    r"|(?P<over>\d+) years and over|under 1 year|(?P<single>\d+) years?)$"
)


def age_span(label: str) -> tuple[int, int] | None:
    """(first, last) year of age a Nomis age label covers, or None if it is not one."""
    text = _normalise(label)
    match = AGE_SPAN_RE.match(text)
    if match is None:
        return None
    if text == "aged under 1 year":
        return (0, 0)
    if match["low"]:
        return (int(match["low"]), int(match["high"]))
    if match["under"]:
        return (0, int(match["under"]))
    if match["over"]:
        return (int(match["over"]), 150)
    return (int(match["single"]), int(match["single"]))


def category_for_path(table: str, path: list[str]) -> str | None:
    """The category code of a Nomis label path within a table, or None if unknown.

    `path` is the label split on ": " after the variable name, e.g. ["Asian, Asian British
    or Asian Welsh", "Bangladeshi"], or ["Aged 4 years and under", "Aged under 1 year"].
    """
    labels = _labels(table)
    leaf = _normalise(LABEL_ALIASES.get(_normalise(path[-1]), path[-1]))
    if len(path) > 1:
        parent = _normalise(path[-2])
        code = labels.get((parent, leaf))
        if code is not None:
            return code
        # A nested path whose parent is a subtotal the dimension has no code for (TS007's
        # "Aged 4 years and under: Aged under 1 year"): the leaf alone names it.
        if table in ("TS007", "TS007A"):
            return labels.get(("", leaf))
        # The white ethnic groups' full label may itself hold a colon.
        return labels.get(("", _normalise(": ".join(path)))) or labels.get(("*", leaf))
    return labels.get(("", leaf)) or labels.get(("*", leaf))


def is_age_subtotal(table: str, path: list[str]) -> bool:
    """Whether an age label is one of TS007's subtotals (e.g. "Aged 16 to 19 years"),
    which add single years together and so are never stored beside them."""
    if table != "TS007" or len(path) != 1:
        return False
    span = age_span(path[0])
    return span is not None and span[1] > span[0] and category_for_path(table, path) is None


def detect_age_table(labels: list[str]) -> str:
    """TS007 (single years) or TS007A (five-year bands), from an age table's labels."""
    for label in labels:
        span = age_span(label.split(": ")[-1])
        if span is not None and span[0] == span[1]:
            return "TS007"
    return "TS007A"


def table_for_nomis_dimension(column: str) -> str | None:
    """The table whose Nomis API dimension `column` names ("C2021_ETH_20_NAME")."""
    name = column.lower().removesuffix("_name")
    for table, info in TABLES.items():
        if info["nomis_dimension"] == name:
            return table
    return None
