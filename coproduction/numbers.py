"""Reading a whole number (a record's id, a page) from text a person or a client sent."""

# PostgreSQL's bigint, the widest id column: no record's id is larger.
LARGEST_ID = 2**63 - 1


def counts_from_one(text: str | None) -> bool:
    """Whether `text` writes a whole number from 1, however many digits it has.

    ASCII digits only: `str.isdigit()` also takes "²" and other Unicode digits, which
    `int()` refuses. Read without `int()`, which refuses thousands of digits outright.
    """
    return bool(text) and text.isascii() and text.isdigit() and bool(text.strip("0"))


def whole_number(text: str | None, *, largest: int = LARGEST_ID) -> int | None:
    """The number `text` writes, from 1 to `largest`, or None for anything else (the
    length is checked before `int()` reads it)."""
    if not counts_from_one(text) or len(text) > len(str(largest)):
        return None
    value = int(text)
    return value if 1 <= value <= largest else None
