"""The model catalog: YAML files in, frozen checked definitions out (DESIGN §3)."""

from planner.catalog.loader import SHIPPED_DIR, CatalogError, build_catalog, load_catalog
from planner.catalog.model import (
    Capability,
    Catalog,
    Crosswalk,
    Dimension,
    Framework,
    Improvement,
    Initiative,
    Level,
    Question,
    Scale,
    Text,
)
from planner.catalog.yamlsafe import Mark, Problem

__all__ = [
    "SHIPPED_DIR",
    "Capability",
    "Catalog",
    "CatalogError",
    "Crosswalk",
    "Dimension",
    "Framework",
    "Improvement",
    "Initiative",
    "Level",
    "Mark",
    "Problem",
    "Question",
    "Scale",
    "Text",
    "build_catalog",
    "load_catalog",
]
