"""Reading an answers file: every problem reported with its line, the catalog resolved, nothing raw
left over."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from planner.answers.checks import Index, Reader
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
    Loaded,
    Respondent,
    RoadmapSettings,
)
from planner.answers.roadmap import roadmap_of
from planner.catalog import (
    Catalog,
    CatalogError,
    Framework,
    Mark,
    Problem,
    load_catalog,
)
from planner.catalog.loader import display_path
from planner.catalog.yamlsafe import LList, LMap, parse
from planner.inputs import ascii_int

_TOP_KEYS = (
    "client",
    "title",
    "date",
    "language",
    "frameworks",
    "targets",
    "respondents",
    "agreed",
    "notes",
    "roadmap",
    "baseline",
)
_RESPONDENT_KEYS = ("name", "role", "email", "answers", "importance")


def is_path_ref(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


def read_answers(
    path: Path, catalog_dir: Path | None = None, follow_baseline: bool = True
) -> Loaded:
    """Read and check an answers file; raise AnswersError listing every problem. Its `baseline:`
    file is read too, one level deep: the baseline's own baseline is ignored."""
    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnswersError(
            [Problem(Mark(shown, 1, 1), f"cannot read file: {exc.strerror or exc}")]
        ) from None
    return parse_answers(data, shown, path.parent, catalog_dir, follow_baseline)


def parse_answers(
    data: bytes,
    shown: str,
    base: Path | None,
    catalog_dir: Path | None = None,
    follow_baseline: bool = True,
) -> Loaded:
    value, problems = parse(data, shown, MAX_BYTES)
    if problems:
        raise AnswersError(problems)
    if not isinstance(value, LMap):
        raise AnswersError(
            [
                Problem(
                    Mark(shown, 1, 1),
                    "an answers file is a mapping (client, frameworks, respondents, ...)",
                )
            ]
        )
    reader = Reader(shown, base)
    reader.keys(value, _TOP_KEYS, "the answers file")
    refs = reader.framework_refs(value)
    catalog, frameworks = _resolve(reader, refs, catalog_dir)
    assessment = _assessment(reader, value, refs, frameworks, catalog)
    baseline, earlier = (
        _baseline(reader, value, Index(frameworks), catalog_dir, assessment)
        if follow_baseline
        else (None, None)
    )
    if reader.problems or assessment is None or catalog is None:
        raise AnswersError(reader.problems)
    if baseline is not None:
        assessment = dataclasses.replace(assessment, baseline=baseline)
    return Loaded(assessment, catalog, tuple(frameworks), earlier)


def _resolve(
    reader: Reader, refs: list[tuple[str, Mark]], catalog_dir: Path | None
) -> tuple[Catalog | None, list[Framework]]:
    paths = []
    for ref, mark in refs:
        if not is_path_ref(ref):
            continue
        if reader.base is None:
            # a file that came without a folder (an upload): its models are catalog ids, and a
            # path would make the server read a file of its own disk (DESIGN §3: ids, never paths)
            reader.fail(mark, f"{ref!r}: name the model by its catalog id, not by a file path")
        else:
            candidate = reader.base / ref
            if not candidate.is_file():
                reader.fail(mark, f"model file {ref!r} not found")
            else:
                paths.append(candidate)
    try:
        catalog = load_catalog(catalog_dir, paths)
    except CatalogError as exc:
        reader.problems.extend(exc.problems)
        return None, []
    by_path = {Path(fw.path).resolve(): fw for fw in catalog.frameworks if fw.path}
    frameworks: list[Framework] = []
    for ref, mark in refs:
        fw: Framework | None
        if is_path_ref(ref):
            if reader.base is None:
                continue
            fw = by_path.get((reader.base / ref).resolve())
            if fw is None:
                continue  # reported above
        elif catalog.has_framework(ref):
            fw = catalog.framework(ref)
        else:
            known = ", ".join(f.id for f in catalog.frameworks)
            reader.fail(mark, f"unknown framework {ref!r} (known: {known})")
            continue
        if any(f.id == fw.id for f in frameworks):
            reader.fail(mark, f"framework {fw.id!r} is listed twice")
            continue
        frameworks.append(fw)
    return catalog, frameworks


def _level(
    reader: Reader, raw: Any, mark: Mark, fw: Framework, allow_unknown: bool = True
) -> AnswerValue | None:
    if isinstance(raw, str) and ascii_int(raw, -(2**31), 2**31) is not None:
        raw = int(raw.strip())  # "3" written in quotes is still level 3 ("³" is not)
    if isinstance(raw, str) and raw.strip().lower() in (NA, "n/a"):
        return NA
    if isinstance(raw, str) and raw.strip().lower() == UNKNOWN and allow_unknown:
        return UNKNOWN
    if isinstance(raw, int) and not isinstance(raw, bool) and raw in fw.scale.values:
        return raw
    if isinstance(raw, float) and raw.is_integer() and int(raw) in fw.scale.values:
        return int(raw)
    choices = (
        ", ".join(str(v) for v in fw.scale.values) + ", na" + (", unknown" if allow_unknown else "")
    )
    reader.fail(mark, f"level {raw!r} is not on scale {fw.scale.id} (one of {choices})")
    return None


def _answers(reader: Reader, raw: Any, mark: Mark, index: Index) -> dict[str, Answer]:
    if raw is None:
        return {}
    if not isinstance(raw, LMap):
        reader.fail(mark, "answers must be a mapping question-id: level")
        return {}
    out: dict[str, Answer] = {}
    for qid, value in raw.items():
        where = raw.key_marks[qid]
        fw = index.questions.get(str(qid))
        if fw is None:
            reader.fail(where, f"unknown question {qid!r} (not in {', '.join(index.frameworks)})")
            continue
        comment = None
        level_raw = value
        if isinstance(value, LMap):
            for key in value:
                if key not in ("level", "comment"):
                    reader.fail(
                        value.key_marks[key],
                        f"unknown key {key!r} in an answer (allowed: level, comment)",
                    )
            level_raw = value.get("level")
            comment = reader.text(value, "comment")
        if level_raw is None:
            if comment is not None:
                out[str(qid)] = Answer(None, comment)  # a remark without a level
            continue  # left blank: not answered
        level = _level(
            reader, level_raw, raw.at(qid) if not isinstance(value, LMap) else value.at("level"), fw
        )
        if level is not None:
            out[str(qid)] = Answer(level, comment)
    return out


def _importance(reader: Reader, raw: Any, mark: Mark, index: Index) -> dict[str, int]:
    if raw is None:
        return {}
    if not isinstance(raw, LMap):
        reader.fail(mark, "importance must be a mapping dimension-id: 1..5")
        return {}
    out = {}
    for dim, value in raw.items():
        if str(dim) not in index.dimensions:
            reader.fail(raw.key_marks[dim], f"unknown dimension {dim!r}")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            reader.fail(
                raw.at(dim),
                f"importance of {dim} must be a whole number from 1 to 5, got {value!r}",
            )
        else:
            out[str(dim)] = value
    return out


def _respondents(reader: Reader, value: LMap, index: Index) -> list[Respondent]:
    raw = value.get("respondents")
    if raw is None:
        return []
    if not isinstance(raw, LList):
        reader.fail(value.at("respondents"), "respondents must be a list")
        return []
    out = []
    for item, mark in zip(raw, raw.item_marks, strict=True):
        if not isinstance(item, LMap):
            reader.fail(mark, "a respondent is a mapping with name, role and answers")
            continue
        reader.keys(item, _RESPONDENT_KEYS, "a respondent")
        name = reader.text(item, "name", required=True)
        respondent = Respondent(
            name=name or "?",
            role=reader.text(item, "role"),
            email=reader.text(item, "email"),
            answers=_answers(reader, item.get("answers"), item.at("answers"), index),
            importance=_importance(reader, item.get("importance"), item.at("importance"), index),
        )
        out.append(respondent)
    return out


def _targets(reader: Reader, value: LMap, index: Index) -> dict[str, float]:
    raw = value.get("targets")
    if raw is None:
        return {}
    if not isinstance(raw, LMap):
        reader.fail(value.at("targets"), "targets must be a mapping model-or-dimension: level")
        return {}
    out = {}
    for key, target in raw.items():
        fw = index.frameworks.get(str(key)) or index.dimensions.get(str(key))
        if fw is None:
            reader.fail(raw.key_marks[key], f"unknown model or dimension {key!r} in targets")
        elif isinstance(target, bool) or not isinstance(target, int | float):
            reader.fail(raw.at(key), f"target of {key} must be a number, got {target!r}")
        elif not fw.scale.minimum <= target <= fw.scale.maximum:
            reader.fail(raw.at(key), f"target {target} of {key} is off scale {fw.scale.describe()}")
        else:
            out[str(key)] = target
    return out


def _agreed(reader: Reader, value: LMap, index: Index) -> dict[str, AnswerValue]:
    raw = value.get("agreed")
    if raw is None:
        return {}
    if not isinstance(raw, LMap):
        reader.fail(value.at("agreed"), "agreed must be a mapping question-id: level")
        return {}
    out: dict[str, AnswerValue] = {}
    for qid, level_raw in raw.items():
        fw = index.questions.get(str(qid))
        if fw is None:
            reader.fail(raw.key_marks[qid], f"unknown question {qid!r} in agreed")
            continue
        level = _level(reader, level_raw, raw.at(qid), fw, allow_unknown=False)
        if level is not None:
            out[str(qid)] = level
    return out


def _notes(reader: Reader, value: LMap, index: Index) -> dict[str, str]:
    """What a workshop said, by question id (an agreed level) or dimension id (an agreed target)."""
    raw = value.get("notes")
    if raw is None:
        return {}
    if not isinstance(raw, LMap):
        reader.fail(value.at("notes"), "notes must be a mapping question-or-dimension-id: text")
        return {}
    out: dict[str, str] = {}
    for key in raw:
        if str(key) not in index.questions and str(key) not in index.dimensions:
            reader.fail(raw.key_marks[key], f"unknown question or dimension {key!r} in notes")
            continue
        note = reader.text(raw, key, multiline=True)
        if note is not None:
            out[str(key)] = note
    return out


def _assessment(
    reader: Reader,
    value: LMap,
    refs: list[tuple[str, Mark]],
    frameworks: list[Framework],
    catalog: Catalog | None,
) -> Assessment | None:
    client = reader.text(value, "client", required=True)
    language = (reader.text(value, "language") or "en").lower()
    if language not in LANGUAGES:
        reader.fail(
            value.at("language"),
            f"language must be one of {', '.join(LANGUAGES)}, got {language!r}",
        )
    index = Index(frameworks)
    respondents = _respondents(reader, value, index)
    if client is None:
        return None
    return Assessment(
        client=client,
        frameworks=tuple(ref for ref, _ in refs),
        language=language,
        title=reader.text(value, "title"),
        targets=_targets(reader, value, index),
        respondents=tuple(respondents),
        agreed=_agreed(reader, value, index),
        notes=_notes(reader, value, index),
        roadmap=roadmap_of(reader, value, catalog, language) if catalog else RoadmapSettings(),
        date=_date(reader, value),
    )


def _date(reader: Reader, value: LMap) -> dt.date | None:
    raw = value.get("date")
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    reader.fail(value.at("date"), f"date must be a day written YYYY-MM-DD, got {raw!r}")
    return None


def _baseline(
    reader: Reader,
    value: LMap,
    index: Index,
    catalog_dir: Path | None,
    assessment: Assessment | None,
) -> tuple[Baseline | None, Loaded | None]:
    """`baseline:` (DESIGN §4): an earlier answers file of the same client, read one level deep,
    or a mapping dimension-id: score on that dimension's scale."""
    raw = value.get("baseline")
    if raw is None:
        return None, None
    mark = value.at("baseline")
    if isinstance(raw, LMap):
        return Baseline(scores=_baseline_scores(reader, raw, index)), None
    if not isinstance(raw, str) or not raw.strip():
        reader.fail(
            mark,
            "baseline must be the path of an earlier answers file or a mapping dimension-id: score",
        )
        return None, None
    ref = raw.strip()
    if reader.base is None:  # an upload: no file of the server's disk is read (as for models)
        reader.fail(
            mark,
            f"{ref!r}: an uploaded file cannot name its baseline by a file path; "
            "write the baseline as a mapping dimension-id: score",
        )
        return Baseline(path=ref), None
    path = reader.base / ref
    if not path.is_file():
        reader.fail(mark, f"baseline file {ref!r} not found")
        return Baseline(path=ref), None
    try:
        earlier = read_answers(path, catalog_dir, follow_baseline=False)
    except AnswersError as exc:  # reported with the baseline file's own FILE:LINE
        reader.problems.extend(exc.problems)
        return Baseline(path=ref), None
    if assessment is not None and earlier.assessment.client != assessment.client:
        reader.fail(
            mark,
            f"baseline file {ref!r} is an assessment of {earlier.assessment.client!r}, "
            f"not of {assessment.client!r}",
        )
    shared = [d.full_id for fw in earlier.frameworks for d in fw.dimensions]
    if index.dimensions and not any(d in index.dimensions for d in shared):
        reader.fail(mark, f"baseline file {ref!r} shares no model with this assessment")
    return Baseline(path=ref), earlier


def _baseline_scores(reader: Reader, raw: LMap, index: Index) -> dict[str, float]:
    if not raw:
        reader.fail(raw.mark, "the baseline mapping is empty: give dimension-id: score")
    out: dict[str, float] = {}
    for key, number in raw.items():
        fw = index.dimensions.get(str(key))
        if fw is None:
            reader.fail(raw.key_marks[key], f"unknown dimension {key!r} in baseline")
        elif isinstance(number, bool) or not isinstance(number, int | float):
            reader.fail(raw.at(key), f"the baseline of {key} must be a number, got {number!r}")
        elif not fw.scale.minimum <= number <= fw.scale.maximum:
            reader.fail(
                raw.at(key), f"baseline {number} of {key} is off scale {fw.scale.describe()}"
            )
        else:
            out[str(key)] = number
    return out
