"""The answers file (DESIGN §4): one assessment as data, read and written by the CLI, import and export."""

from planner.answers.model import (
    LANGUAGES,
    MAX_BYTES,
    NA,
    UNKNOWN,
    Answer,
    AnswersError,
    AnswerValue,
    Assessment,
    Baseline,
    Change,
    Loaded,
    Phase,
    Respondent,
    RoadmapSettings,
)
from planner.answers.reader import is_path_ref, parse_answers, read_answers
from planner.answers.roadmap import read_roadmap
from planner.answers.writer import dump_answers, roadmap_settings_data, to_data

__all__ = [
    "LANGUAGES",
    "MAX_BYTES",
    "NA",
    "UNKNOWN",
    "Answer",
    "AnswerValue",
    "AnswersError",
    "Assessment",
    "Baseline",
    "Change",
    "Loaded",
    "Phase",
    "Respondent",
    "RoadmapSettings",
    "dump_answers",
    "is_path_ref",
    "parse_answers",
    "read_answers",
    "read_roadmap",
    "roadmap_settings_data",
    "to_data",
]
