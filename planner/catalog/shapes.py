"""The records of the four file kinds (DESIGN §3): the loader checks with them, the schema comes from them."""

from __future__ import annotations

from planner.catalog.spec import (
    ID,
    NEUTRAL_TEXT,
    SHORT_TEXT,
    TEXT,
    Enum,
    F,
    LevelMap,
    ListOf,
    Num,
    OneOf,
    Record,
    Str,
    Version,
)

POSITIVE = Num(exclusive_minimum=0)
LANGUAGES = ListOf(Str(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", "a language code"), min_items=1)
TARGET = Num()

LEVEL = Record(
    "Level",
    [
        F("value", Num(integer=True), required=True, doc="Integer value; strictly increasing"),
        F("name", TEXT, required=True),
        F("description", TEXT),
    ],
)

SCALE = Record(
    "Scale",
    [
        F("id", ID, required=True),
        F("name", TEXT),
        F("levels", ListOf(LEVEL, min_items=3), required=True, doc="At least 3 levels"),
    ],
    doc="A maturity scale: integer values, strictly increasing, at least 3 levels",
)

IMPROVEMENT = Record(
    "Improvement",
    [
        F(
            "dimension",
            Str(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)?$", "a dimension id"),
            required=True,
            doc="framework.dimension (a bare dimension id inside a framework file)",
        ),
        F("to_level", Num(integer=True), required=True, doc="The level the initiative lifts it to"),
    ],
)

INITIATIVE = Record(
    "Initiative",
    [
        F("id", ID, required=True, doc="Unique in the catalog"),
        F("title", TEXT, required=True),
        F("summary", TEXT),
        F("improves", ListOf(IMPROVEMENT, min_items=1), required=True),
        F("depends_on", ListOf(ID)),
        F("duration_weeks", Num(integer=True, minimum=1), required=True),
        F("effort", Enum(("S", "M", "L", "XL"))),
        F("owner", TEXT, doc="The role that leads it"),
        F("kpis", ListOf(TEXT)),
    ],
    doc="An improvement initiative that roadmaps draw from",
)

QUESTION = Record(
    "Question",
    [
        F("id", ID, required=True),
        F("text", TEXT, required=True),
        F("help", TEXT),
        F("weight", POSITIVE),
        F("levels", LevelMap(TEXT), required=True, doc="One anchor per scale value"),
        F("evidence", ListOf(TEXT), doc="What a consultant asks to see"),
    ],
)

DIMENSION = Record(
    "Dimension",
    [
        F("id", ID, required=True),
        F("name", TEXT, required=True),
        F("description", TEXT),
        F("group", TEXT),
        F("weight", POSITIVE),
        F("target", TARGET),
        F("questions", ListOf(QUESTION, min_items=1), required=True),
    ],
)

FRAMEWORK = Record(
    "Framework",
    [
        F("id", ID, required=True, doc="Unique in the catalog"),
        F("version", Version()),
        F("name", TEXT, required=True),
        F("short_name", SHORT_TEXT, doc="At most 16 characters: chart columns and legends"),
        F("summary", TEXT),
        F("source", NEUTRAL_TEXT, doc="Citation, shown in the report's methodology"),
        F(
            "seed_note",
            TEXT,
            doc="Where the Vietnamese seed articles differ from the literature; in the methodology",
        ),
        F("languages", LANGUAGES, doc="The first is the default"),
        F("scale", OneOf(ID, SCALE), required=True, doc="A scale id from scales.yaml, or inline"),
        F("level_rule", Enum(("average", "weakest"))),
        F("na_policy", Enum(("exclude", "minimum"))),
        F("default_target", TARGET),
        F("sequence", ListOf(ID), doc="Recommended order of the dimensions"),
        F("dimensions", ListOf(DIMENSION, min_items=1), required=True),
        F("initiatives", ListOf(INITIATIVE)),
    ],
    doc="A CRM maturity model definition (CRM Maturity Planner)",
)

SCALES_FILE = Record(
    "ScalesFile",
    [F("languages", LANGUAGES), F("scales", ListOf(SCALE, min_items=1), required=True)],
)

INITIATIVES_FILE = Record(
    "InitiativesFile",
    [F("languages", LANGUAGES), F("initiatives", ListOf(INITIATIVE), required=True)],
)

QUESTION_REF = Str(
    r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$",
    "a full question id (framework.dimension.question)",
)

CAPABILITY = Record(
    "Capability",
    [
        F("id", ID, required=True),
        F("name", TEXT, required=True),
        F("description", TEXT),
        # whole dimensions, and single questions of dimensions that only partly belong
        F(
            "dimensions",
            ListOf(
                Str(
                    r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$",
                    "a qualified dimension id (framework.dimension)",
                ),
                min_items=1,
            ),
        ),
        F("questions", ListOf(QUESTION_REF, min_items=1)),
    ],
)

CROSSWALK_FILE = Record(
    "CrosswalkFile",
    [
        F("languages", LANGUAGES),
        F("capabilities", ListOf(CAPABILITY)),
        F("equivalent_questions", ListOf(ListOf(QUESTION_REF, min_items=2))),
    ],
)

FILE_KINDS = {
    "framework": FRAMEWORK,
    "scales": SCALES_FILE,
    "initiatives": INITIATIVES_FILE,
    "crosswalk": CROSSWALK_FILE,
}
