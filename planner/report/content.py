"""What the report shows, computed once: sections, charts and texts in the report's language (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner import formats
from planner.answers import Assessment, Loaded
from planner.catalog import Crosswalk, Framework, Question
from planner.engine.findings import answered, highlights, tentative, thin_lifts
from planner.engine.progress import FrameworkProgress, Progress, progress_of
from planner.engine.roadmap import Roadmap, Scheduled, plan
from planner.engine.scoring import DimensionScore, FrameworkScore, QuestionScore, ScoreCard, score
from planner.report import charts
from planner.report.text import labels

DEFAULT_COLOUR = "#17324d"


@dataclass(frozen=True)
class Brand:
    """The consultancy's name, logo (a data: URI) and accent colour on the cover and headings."""

    name: str | None = None
    logo: str | None = None
    colour: str = DEFAULT_COLOUR


CHART_MM = 23.0  # td.qchart svg in print.css
DIGIT_MM = 1.46  # a DejaVu Sans digit at 6.5 pt (0.636 em)


@dataclass(frozen=True)
class QuestionView:
    question: Question
    result: QuestionScore
    chart: str
    contested: bool
    levels: tuple[str, ...] = ()
    note: str | None = None  # the workshop's, when the room agreed the level

    @property
    def levels_box(self) -> tuple[float, float]:
        """(left margin, width) in mm of the justified line of levels under `chart`, so that each
        level's centre sits under its column: the chart is CHART_MM wide, its n columns centred at
        (i + ½)·CHART_MM/n, a level DIGIT_MM wide."""
        step = CHART_MM / max(len(self.levels), 1)
        return round(step / 2 - DIGIT_MM / 2, 2), round(CHART_MM - step + DIGIT_MM, 2)

    @property
    def answered(self) -> bool:
        """Someone answered it, if only "don't know" or N/A."""
        return bool(self.result.n or self.result.na or self.result.unknown)


@dataclass(frozen=True)
class DimensionView:
    anchor_id: str
    framework: Framework
    result: DimensionScore
    questions: list[QuestionView]
    weakest: Question | None
    current_level: int | None
    next_level: int | None
    comments: list[tuple[str, str]]


@dataclass(frozen=True)
class InitiativeView:
    item: Scheduled
    number: int  # on the Gantt and the card; later ones go on counting
    lifts: str
    depends: list[str]  # the numbers of its prerequisites
    what: str  # the summary, shortened to whole sentences for the compact card
    lifts_short: str  # dimension names without their model, for the "later" list


@dataclass(frozen=True)
class ProgressView:
    """The progress-to-date section: per model a line and a before/after chart, then what the
    baseline roadmap had due by now."""

    result: Progress
    charts: dict[str, str]  # per framework id
    lines: list[str]
    intro: str
    due_intro: str  # what the due list counts, or why it cannot be counted
    due_lines: list[str]


@dataclass(frozen=True)
class Report:
    lang: str
    t: dict[str, str]
    loaded: Loaded
    card: ScoreCard
    roadmap: Roadmap
    today: date
    brand: Brand
    overall: list[str]
    strengths: list[str]
    weakest: list[str]
    highlights_note: str | None  # instead of strengths and gaps, when too few answers
    roadmap_lines: list[str]
    roadmap_note: str | None  # what an empty roadmap means (None when it is not empty)
    roadmap_caveat: str | None  # when the dimensions it lifts rest on too few answers
    roles: dict[str, int]
    radars: dict[str, str]
    heatmap: str | None
    dimensions: dict[str, list[DimensionView]]
    role_names: list[str]
    matrix: str | None
    matrix_points: list[str]
    gantt: str
    trajectory: str
    initiatives: list[InitiativeView]
    dim_label: dict[str, str] = field(default_factory=dict)
    edits: list[str] = field(default_factory=list)  # the consultant's changes, in sentences
    progress: ProgressView | None = None  # against the baseline, when the assessment has one


def build_report(loaded: Loaded, today: date | None = None, brand: Brand | None = None) -> Report:
    lang = loaded.assessment.language
    t = labels(lang)
    card = score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )
    road = plan(card, loaded.catalog.all_initiatives(), loaded.assessment.roadmap, lang)
    several = len(card.frameworks) > 1
    dim_label = {
        ds.dimension.full_id: (f"{fs.framework.name.get(lang)} — " if several else "")
        + ds.dimension.name.get(lang)
        for fs in card.frameworks
        for ds in fs.dimensions
    }
    found = highlights(card)
    when = today or date.today()
    progress = progress_of(loaded, card, when)
    roles: dict[str, int] = {}
    for r in loaded.assessment.respondents:
        roles[r.role or "–"] = roles.get(r.role or "–", 0) + 1
    return Report(
        lang=lang,
        t=t,
        loaded=loaded,
        card=card,
        roadmap=road,
        today=when,
        brand=brand or Brand(),
        overall=[_overall(fs, t, lang) for fs in card.frameworks],
        strengths=[
            f"{dim_label[d.dimension.full_id]}: {formats.number(d.score, lang)}"
            for d in found.strengths
        ],
        weakest=[
            f"{dim_label[d.dimension.full_id]}: {formats.number(d.score, lang)} → {formats.short(d.target, lang)}"
            for d in found.gaps
        ],
        highlights_note=None
        if found.enough
        else t["not_enough_highlights"].format(eligible=found.eligible, total=found.total),
        roadmap_lines=_roadmap_lines(road, t, lang),
        roadmap_note=roadmap_note(card, road, t, lang),
        roadmap_caveat=roadmap_caveat(card, road, t),
        roles=roles,
        radars={fs.framework.id: _radar(fs, lang) for fs in card.frameworks},
        heatmap=capability_heatmap(card, loaded.catalog.crosswalk, lang),
        dimensions={
            fs.framework.id: [
                _dimension(fs, ds, card, lang, loaded.assessment.notes) for ds in fs.dimensions
            ]
            for fs in card.frameworks
        },
        role_names=sorted({role for g in card.perception_gaps for role in g.scores}),
        matrix=importance_matrix(card, loaded.assessment, t),
        matrix_points=matrix_points(card, loaded.assessment, dim_label),
        gantt=gantt(road, t, lang),
        trajectory=trajectory(card, road, t, lang),
        initiatives=_initiatives(card, road, dim_label, t, lang),
        dim_label=dim_label,
        edits=_edits(loaded, road, t, lang),
        progress=_progress(progress, t, lang),
    )


def _progress(progress: Progress | None, t: dict[str, str], lang: str) -> ProgressView | None:
    """The progress-to-date section's chart and sentences (DESIGN §5, §8); nothing without a baseline."""
    if progress is None:
        return None
    since = (
        t["progress_since"].format(date=formats.day(progress.since, lang)) if progress.since else ""
    )
    due_lines = []
    if progress.due is None:
        due_intro = t["due_no_date"] if progress.missing == "no_date" else t["due_no_roadmap"]
    elif not progress.due:
        due_intro = t["due_none"]
    else:
        start = progress.since or progress.today
        due_intro = t["due_text"].format(
            today=formats.day(progress.today, lang), since=formats.day(start, lang)
        )
        due_lines = [
            t["due_line"].format(
                title=s.initiative.title.get(lang),
                a=s.start_week,
                b=s.end_week,
                date=formats.day(start + timedelta(weeks=s.end_week), lang),
            )
            for s in progress.due
        ]
    return ProgressView(
        result=progress,
        charts={fp.framework.id: before_after(fp, t, lang) for fp in progress.frameworks},
        lines=[
            t["progress_line"].format(
                model=fp.framework.name.get(lang),
                baseline=formats.number(fp.baseline, lang),
                score=formats.number(fp.score, lang),
                percent=formats.percent(fp.ratio, lang),
            )
            for fp in progress.frameworks
        ],
        intro=t["progress_text"].format(since=since),
        due_intro=due_intro,
        due_lines=due_lines,
    )


def before_after(fp: FrameworkProgress, t: dict[str, str], lang: str) -> str:
    """Baseline, today and target per dimension of one model, labelled in the report's language."""
    scale = fp.framework.scale
    return charts.before_after(
        [dp.dimension.name.get(lang) for dp in fp.dimensions],
        [dp.baseline for dp in fp.dimensions],
        [dp.score for dp in fp.dimensions],
        [dp.target for dp in fp.dimensions],
        scale.minimum,
        scale.maximum,
        legend=(t["baseline"], t["today"], t["target"]),
        title=f"{t['before_after']}: {fp.framework.name.get(lang)}",
    )


def _edits(loaded: Loaded, road: Roadmap, t: dict[str, str], lang: str) -> list[str]:
    """What the consultant changed in the generated roadmap, and what the plan could not honour:
    the reader of a signed report should know which parts are the consultant's judgement."""
    settings = loaded.assessment.roadmap
    if not settings.edited:
        return []
    titles = {i.id: i.title.get(lang) for i in (*loaded.catalog.all_initiatives(), *settings.add)}
    titles |= {s.initiative.id: s.initiative.title.get(lang) for s in road.initiatives}
    added = [s for s in road.initiatives if s.added]
    changed = [s for s in road.initiatives if s.edited and not s.added]
    lines = []
    if added:
        lines.append(
            t["edits_added"].format(titles=", ".join(titles[s.initiative.id] for s in added))
        )
    if changed:
        lines.append(
            t["edits_changed"].format(titles=", ".join(titles[s.initiative.id] for s in changed))
        )
    if road.dropped:
        lines.append(t["edits_dropped"].format(titles=", ".join(titles[i] for i in road.dropped)))
    lines.extend(warning_lines(road, titles, t))
    return lines


def warning_lines(road: Roadmap, titles: dict[str, str], t: dict[str, str]) -> list[str]:
    """The pins the plan kept as asked but could not honour, in the report's words."""
    lines = []
    starts = {s.initiative.id: s.start_week for s in road.initiatives}
    for w in road.warnings:
        if w.kind == "prerequisite" and w.weeks and w.other:
            lines.append(
                t["warn_prerequisite"].format(
                    title=titles[w.initiative],
                    a=starts[w.initiative],
                    other=titles[w.other],
                    b=w.weeks[0],
                )
            )
        elif w.kind == "capacity" and w.weeks:
            lines.append(
                t["warn_capacity"].format(n=w.count, a=w.weeks[0], b=w.weeks[1], m=w.capacity)
            )
    return lines


def roadmap_caveat(card: ScoreCard, road: Roadmap, t: dict[str, str]) -> str | None:
    """What a planned roadmap cannot yet say: lifts resting on few answers, dimensions left out."""
    thin, lifted = thin_lifts(card, road)
    notes = [t["roadmap_tentative"].format(n=thin, m=lifted)] if thin else []
    if road.state == "planned" and road.unscored:
        notes.append(t["roadmap_unscored"].format(n=len(road.unscored)))
    return " ".join(notes) or None


def _overall(fs: FrameworkScore, t: dict[str, str], lang: str) -> str:
    name = fs.framework.name.get(lang)
    count = answered(fs)
    if fs.score is None or fs.level is None:
        return t["overall_none"].format(model=name, answered=count.questions, of=count.of)
    percent = formats.percent(
        None if fs.percent_to_target is None else fs.percent_to_target / 100, lang
    )
    line = t["overall"].format(
        model=name,
        level=fs.level,
        name=fs.level_name(lang),
        score=formats.number(fs.score, lang),
        percent=percent,
        coverage=formats.percent(fs.coverage, lang),
    )
    if tentative(fs.coverage):
        line += " — " + t["tentative_line"].format(coverage=formats.percent(fs.coverage, lang))
    return line


def roadmap_note(card: ScoreCard, road: Roadmap, t: dict[str, str], lang: str) -> str | None:
    """What an empty roadmap means: never "nothing is needed" when the answers cannot tell."""
    if road.state == "planned":
        return None
    if road.state == "no_scores":
        missing = " ".join(
            f"{fs.framework.name.get(lang)}: {t['answered'].format(answered=a.questions, of=a.of)}."
            for fs in card.frameworks
            for a in [answered(fs)]
        )
        return t["no_roadmap_empty"].format(missing=missing)
    if road.state == "partial":
        return t["no_roadmap_partial"].format(scored=len(road.scored), unscored=len(road.unscored))
    return t["no_roadmap"]


def _roadmap_lines(road: Roadmap, t: dict[str, str], lang: str) -> list[str]:
    lines: list[str] = []
    for phase in road.phases:
        items = [s for s in road.initiatives if s.phase == phase.name]
        if items and len(lines) < 3:
            first = ", ".join(s.initiative.title.get(lang) for s in items[:2])
            lines.append(t["phase_line"].format(phase=phase.name, n=len(items), first=first))
    return lines


def _radar(fs: FrameworkScore, lang: str) -> str:
    return charts.radar(
        [ds.dimension.name.get(lang) for ds in fs.dimensions],
        [ds.score for ds in fs.dimensions],
        [ds.target for ds in fs.dimensions],
        fs.framework.scale.minimum,
        fs.framework.scale.maximum,
        size=280,
        title=fs.framework.name.get(lang),
    )


def capability_heatmap(card: ScoreCard, crosswalk: Crosswalk, lang: str) -> str | None:
    """Capabilities by models, each cell the mean of that model's scores in the capability — its
    whole dimensions' scores and its single questions' scores — coloured by the level of the first
    model's scale; only with two models or more (one model is its own radar)."""
    if len(card.frameworks) < 2:
        return None
    scores = {ds.dimension.full_id: ds.score for fs in card.frameworks for ds in fs.dimensions}
    scores |= {
        qs.question.full_id: qs.score
        for fs in card.frameworks
        for ds in fs.dimensions
        for qs in ds.questions
    }
    rows, values = [], []
    for cap in crosswalk.capabilities:
        row: list[float | None] = []
        for fs in card.frameworks:
            found = [
                s
                for ref in (*cap.dimensions, *cap.questions)
                if ref.startswith(fs.framework.id + ".") and (s := scores.get(ref)) is not None
            ]
            row.append(sum(found) / len(found) if found else None)
        if any(v is not None for v in row):
            rows.append(cap.name.get(lang))
            values.append(row)
    if not rows:
        return None
    scale = card.frameworks[0].framework.scale
    names = [fs.framework.label(lang) for fs in card.frameworks]
    return charts.heatmap(
        rows,
        names,
        values,
        scale.minimum,
        scale.maximum,
        title=labels(lang)["heatmap"],
        value_label=lambda v: formats.number(v, lang, 1),
        levels=[(level.value, level.name.get(lang)) for level in scale.levels],
        empty_label=labels(lang)["not_covered"],
    )


def _dimension(
    fs: FrameworkScore,
    ds: DimensionScore,
    card: ScoreCard,
    lang: str,
    notes: Mapping[str, str] | None = None,
) -> DimensionView:
    contested = {c.question.question.full_id for c in card.contested}
    scale = fs.framework.scale
    questions = [
        QuestionView(
            qs.question,
            qs,
            charts.distribution(
                [(str(v), qs.distribution.get(v, 0)) for v in scale.values], labelled=False
            ),
            qs.question.full_id in contested,
            tuple(str(v) for v in scale.values),
            (notes or {}).get(qs.question.full_id) if qs.agreed else None,
        )
        for qs in ds.questions
    ]
    scored = [q for q in ds.questions if q.score is not None and not q.is_na]
    weakest = min(scored, key=lambda q: (q.score or 0, q.question.id)) if scored else None
    current = scale.level_at(weakest.score) if weakest and weakest.score is not None else None
    higher = [v for v in scale.values if current is not None and v > current]
    comments = [(who, text) for q in ds.questions for who, text in q.comments][:3]
    return DimensionView(
        anchor_id=f"dim-{ds.dimension.full_id.replace('.', '-')}",
        framework=fs.framework,
        result=ds,
        questions=questions,
        weakest=weakest.question if weakest else None,
        current_level=current,
        next_level=higher[0] if higher else None,
        comments=comments,
    )


def rated_dimensions(card: ScoreCard, assessment: Assessment) -> list[DimensionScore]:
    """Scored dimensions that at least one respondent rated for importance (the matrix's points)."""
    rated = {dim for r in assessment.respondents for dim in r.importance}
    return [
        ds
        for fs in card.frameworks
        for ds in fs.dimensions
        if ds.dimension.full_id in rated and ds.score is not None
    ]


def importance_matrix(card: ScoreCard, assessment: Assessment, t: dict[str, str]) -> str | None:
    """The importance/performance chart of the rated dimensions, numbered in `rated_dimensions` order."""
    rated = rated_dimensions(card, assessment)
    if not rated:
        return None
    scale = card.frameworks[0].framework.scale
    points = [(ds.dimension.full_id, ds.importance, ds.score or 0.0) for ds in rated]
    return charts.matrix(
        points, scale.minimum, scale.maximum, x_label=t["matrix_x"], y_label=t["score"]
    )


def matrix_points(card: ScoreCard, assessment: Assessment, dim_label: dict[str, str]) -> list[str]:
    """The importance matrix's key: each rated dimension, numbered as on the chart, with its
    importance and score in the assessment's language."""
    lang = assessment.language
    return [
        f"{dim_label[ds.dimension.full_id]} ({formats.number(ds.importance, lang, 1)} · {formats.number(ds.score, lang)})"
        for ds in rated_dimensions(card, assessment)
    ]


def gantt(road: Roadmap, t: dict[str, str], lang: str) -> str:
    """The initiatives within the horizon, numbered as their cards are."""
    planned = road.planned
    rows = [
        (f"{n}. {s.initiative.title.get(lang)}", s.start_week, s.end_week, s.enabler)
        for n, s in enumerate(planned, 1)
    ]
    weeks = max((s.end_week for s in planned), default=0)
    return charts.gantt(
        rows, [(p.name, p.start_week) for p in road.phases], max(weeks, 13), t["months"]
    )


def trajectory(card: ScoreCard, road: Roadmap, t: dict[str, str], lang: str) -> str:
    names = [t["today"], *(p.name for p in road.phases)]
    series = [
        (
            fs.framework.label(lang),
            [fs.score, *(p.projected.get(fs.framework.id) for p in road.phases)],
        )
        for fs in card.frameworks
    ]
    scale = card.frameworks[0].framework.scale if card.frameworks else None
    return charts.trajectory(
        names, series, scale.minimum if scale else 1, scale.maximum if scale else 5
    )


def _initiatives(
    card: ScoreCard, road: Roadmap, dim_label: dict[str, str], t: dict[str, str], lang: str
) -> list[InitiativeView]:
    """Planned initiatives numbered first (as on the Gantt), then the later ones."""
    ordered = [*road.planned, *road.later]
    numbers = {s.initiative.id: n for n, s in enumerate(ordered, 1)}
    short = {
        ds.dimension.full_id: ds.dimension.name.get(lang)
        for fs in card.frameworks
        for ds in fs.dimensions
    }
    views = []
    for s in ordered:
        lifts = ", ".join(
            f"{dim_label.get(lift.dimension, lift.dimension)} {lift.from_level if lift.from_level is not None else '–'}→{lift.to_level}"
            for lift in s.improves
        )
        views.append(
            InitiativeView(
                s,
                numbers[s.initiative.id],
                t["closes"].format(dims=lifts) if lifts else "",
                [str(numbers[d]) for d in s.depends_on if d in numbers],
                sentences(s.initiative.summary.get(lang) if s.initiative.summary else "", 1),
                ", ".join(
                    f"{short.get(lift.dimension, lift.dimension)} →{lift.to_level}"
                    for lift in s.improves
                ),
            )
        )
    return views


def sentences(text: str, count: int) -> str:
    """The first `count` sentences of `text` (whole sentences: a compact card, never a cut word)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ0-9])", text.strip())
    return " ".join(parts[:count])
