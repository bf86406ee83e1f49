"""Reading a whole number (a record's id, a page) from text a person or a client sent."""

# PostgreSQL's bigint, the widest id column: no record's id is larger.
LARGEST_ID = 2**63 - 1


def whole_number(text: str | None, *, largest: int = LARGEST_ID) -> int | None:
    """The number `text` writes, from 1 to `largest`, or None for anything else.

    ASCII digits only: `str.isdigit()` also takes "²" and other Unicode digits, which
    `int()` refuses; and the length is checked before `int()`, which refuses thousands
    of digits outright.
    """
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(largest)):
        return None
    value = int(text)
    return value if 1 <= value <= largest else None
