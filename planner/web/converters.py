"""URL converters: an id in a URL is ASCII digits within a database integer's range (DESIGN §11).

Werkzeug's `int` matches `\\d+`, which in Python takes Unicode digits too ("١" or "²"), and any
size, so an id of 2^64 reached the database driver. Anything else is simply no route: a 404.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    regex = r"[0-9]{1,10}"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID)
