"""Scorecards and roadmaps as JSON-ready data and as text tables for a person (CLI, exports)."""

from __future__ import annotations

from typing import Any

from planner.engine.findings import answered, highlights, tentative, thin_lifts
from planner.engine.progress import NO_DATE, FrameworkProgress, Progress
from planner.engine.roadmap import Roadmap
from planner.engine.scoring import ScoreCard
from planner.formats import r2
from planner.report.text import labels

EN = labels("en")  # the CLI's text speaks English; its sentences are the report's


def _local(full_id: str) -> str:
    return full_id.split(".", 1)[1]


def scorecard_data(
    card: ScoreCard, lang: str = "en", progress: Progress | None = None
) -> dict[str, Any]:
    """The scorecard as JSON-ready data; with a baseline, each dimension and model gains its
    `baseline` and `progress_to_date` (null without one) and the data the `due_by_now` list."""
    frameworks = []
    for fs in card.frameworks:
        fp = progress.framework(fs.framework.id) if progress else None
        dims = []
        for ds in fs.dimensions:
            dp = progress.dimension(ds.dimension.full_id) if progress else None
            questions = [
                {
                    "id": qs.question.id,
                    "score": r2(qs.score),
                    "n": qs.n,
                    "spread": r2(qs.spread),
                    "na": qs.na,
                    "unknown": qs.unknown,
                    "agreed": qs.agreed,
                }
                for qs in ds.questions
            ]
            dims.append(
                {
                    "id": ds.dimension.id,
                    "score": r2(ds.score),
                    "level": ds.level,
                    "target": r2(ds.target),
                    "gap": r2(ds.gap),
                    "coverage": r2(ds.coverage),
                    "insufficient": ds.insufficient,
                    "priority": r2(ds.priority),
                    "baseline": r2(dp.baseline) if dp else None,
                    "progress_to_date": r2(dp.ratio) if dp else None,
                    "questions": questions,
                }
            )
        frameworks.append(
            {
                "id": fs.framework.id,
                "score": r2(fs.score),
                "level": fs.level,
                "level_name": fs.level_name(lang),
                "coverage": r2(fs.coverage),
                "percent_to_target": r2(fs.percent_to_target),
                "baseline": r2(fp.baseline) if fp else None,
                "progress_to_date": r2(fp.ratio) if fp else None,
                "dimensions": dims,
            }
        )
    contested = [
        {
            "framework": c.framework,
            "question": _local(c.question.question.full_id),
            "score": r2(c.question.score),
            "n": c.question.n,
            "spread": r2(c.question.spread),
            "distribution": {str(k): v for k, v in c.question.distribution.items()},
        }
        for c in card.contested
    ]
    gaps = [
        {
            "framework": g.framework,
            "dimension": g.dimension.id,
            "scores": {role: r2(s) for role, s in g.scores.items()},
            "difference": r2(g.difference),
        }
        for g in card.perception_gaps
    ]
    out: dict[str, Any] = {
        "frameworks": frameworks,
        "contested": contested,
        "perception_gaps": gaps,
    }
    if progress is not None:
        out["baseline"] = {
            "date": progress.since.isoformat() if progress.since else None,
            "due_by_now": None
            if progress.due is None
            else [
                {
                    "id": s.initiative.id,
                    "title": s.initiative.title.get(lang),
                    "end_week": s.end_week,
                }
                for s in progress.due
            ],
        }
    return out


def roadmap_data(roadmap: Roadmap, lang: str = "en") -> dict[str, Any]:
    return {
        "initiatives": [
            {
                "id": s.initiative.id,
                "title": s.initiative.title.get(lang),
                "start_week": s.start_week,
                "end_week": s.end_week,
                "phase": s.phase,
                "priority": r2(s.priority),
                "enabler": s.enabler,
                "later": s.later,
                "edited": s.edited,
                "added": s.added,
                "pinned": s.pinned,
                "owner": s.initiative.owner.get(lang) if s.initiative.owner else None,
                "improves": [
                    {
                        "dimension": lift.dimension,
                        "from_level": lift.from_level,
                        "to_level": lift.to_level,
                    }
                    for lift in s.improves
                ],
                "depends_on": list(s.depends_on),
            }
            for s in roadmap.initiatives
        ],
        "phases": [
            {
                "name": p.name,
                "start_week": p.start_week,
                "end_week": p.end_week,
                "projected": {fid: r2(v) for fid, v in p.projected.items()},
            }
            for p in roadmap.phases
        ],
        "warnings": [{"initiative": w.initiative, "message": w.message} for w in roadmap.warnings],
        "dropped": list(roadmap.dropped),
        "inactive": list(roadmap.inactive),
    }


def _fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return "–" if value is None else pattern.format(value)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def scorecard_text(card: ScoreCard, lang: str = "en", progress: Progress | None = None) -> str:
    parts = []
    for fs in card.frameworks:
        fw = fs.framework
        count = answered(fs)
        fp = progress.framework(fw.id) if progress else None
        if fs.score is None:
            parts.append(
                f"{fw.name.get(lang)} ({fw.id}): not enough answers yet, "
                f"{count.questions} of {count.of} questions answered"
            )
        else:
            parts.append(
                f"{fw.name.get(lang)} ({fw.id}): score {_fmt(fs.score)}, "
                f"level {fs.level} {fs.level_name(lang)}, "
                f"coverage {_fmt(fs.coverage and fs.coverage * 100, '{:.0f}%')}"
                + (
                    " (tentative: fewer than half of the questions answered)"
                    if tentative(fs.coverage)
                    else ""
                )
                + f", {_fmt(fs.percent_to_target, '{:.0f}%')} of the way to target"
            )
        rows = [
            [
                ds.dimension.name.get(lang),
                _fmt(ds.score),
                "–" if ds.level is None else str(ds.level),
                _fmt(ds.target, "{:g}"),
                _fmt(ds.gap),
                _fmt(ds.coverage and ds.coverage * 100, "{:.0f}%")
                + (" (insufficient)" if ds.insufficient else ""),
                _fmt(ds.priority),
            ]
            for ds in fs.dimensions
        ]
        parts.append(
            table(["Dimension", "Score", "Level", "Target", "Gap", "Coverage", "Priority"], rows)
        )
        parts.append("")
        if fp is not None:
            parts += _progress_text(fp, lang)
    if progress is not None:
        parts += _due_text(progress, lang)
    found = highlights(card)
    if not found.enough:
        parts.append(EN["not_enough_highlights"].format(eligible=found.eligible, total=found.total))
    else:
        parts.append(
            "Strongest: "
            + (
                ", ".join(f"{d.dimension.full_id} {d.score:.2f}" for d in found.strengths)
                or "none yet"
            )
        )
        parts.append(
            "Largest gaps: "
            + (
                ", ".join(f"{d.dimension.full_id} {d.score:.2f} → {d.target:g}" for d in found.gaps)
                or "none among the dimensions with enough answers"
            )
        )
    parts.append("")
    if card.contested:
        parts.append("Contested questions (workshop agenda):")
        parts += [
            f"  {c.question.question.full_id}: mean {_fmt(c.question.score)}, spread {_fmt(c.question.spread)}, n={c.question.n}"
            for c in card.contested
        ]
        parts.append("")
    if card.perception_gaps:
        parts.append("Perception gaps by role:")
        for g in card.perception_gaps:
            scores = ", ".join(f"{role} {s:.2f}" for role, s in g.scores.items())
            parts.append(f"  {g.dimension.full_id}: {scores} (difference {g.difference:.2f})")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _pct(value: float | None) -> str:
    return _fmt(None if value is None else value * 100, "{:.0f}%")


def _progress_text(fp: FrameworkProgress, lang: str) -> list[str]:
    """Baseline → today → target and progress to date of one model, per dimension."""
    lines = [
        f"Progress to date ({fp.framework.id}): baseline {_fmt(fp.baseline)} → today "
        f"{_fmt(fp.score)}, {_pct(fp.ratio)} of the way from the baseline to target"
    ]
    rows = [
        [
            dp.dimension.name.get(lang),
            _fmt(dp.baseline),
            _fmt(dp.score),
            _fmt(dp.target, "{:g}"),
            _pct(dp.ratio),
        ]
        for dp in fp.dimensions
    ]
    lines += [table(["Dimension", "Baseline", "Today", "Target", "Progress"], rows), ""]
    return lines


def _due_text(progress: Progress, lang: str) -> list[str]:
    """The baseline roadmap's initiatives due by now, or why they cannot be counted."""
    if progress.due is None:
        if progress.missing == NO_DATE:
            return [EN["due_no_date"], ""]
        return [EN["due_no_roadmap"], ""]
    since = progress.since.isoformat() if progress.since else "?"
    head = EN["due_title_since"].format(date=since, today=progress.today.isoformat())
    if not progress.due:
        return [head + ": " + EN["due_none"], ""]
    lines = [head + ":"]
    lines += [
        f"  {s.initiative.title.get(lang)} (weeks {s.start_week}–{s.end_week})"
        for s in progress.due
    ]
    return [*lines, ""]


def roadmap_text(roadmap: Roadmap, lang: str = "en", card: ScoreCard | None = None) -> str:
    if not roadmap.initiatives:
        if roadmap.state == "no_scores":
            return f"Not enough answers yet for a roadmap: no dimension has a score ({len(roadmap.unscored)} without one).\n"
        if roadmap.state == "partial":
            text = EN["no_roadmap_partial"]
            return text.format(scored=len(roadmap.scored), unscored=len(roadmap.unscored)) + "\n"
        return EN["no_roadmap"] + "\n"
    parts = []
    thin, lifted = thin_lifts(card, roadmap) if card is not None else (0, 0)
    if thin:
        parts += [EN["roadmap_tentative"].format(n=thin, m=lifted), ""]
    if roadmap.unscored:
        parts += [EN["roadmap_unscored"].format(n=len(roadmap.unscored)), ""]
    for phase in roadmap.phases:
        items = [s for s in roadmap.initiatives if s.phase == phase.name]
        projected = ", ".join(f"{fid} {_fmt(v)}" for fid, v in phase.projected.items())
        parts.append(f"{phase.name} — projected after this phase: {projected}")
        if items:
            rows = [
                [
                    f"{s.start_week}–{s.end_week}",
                    s.initiative.title.get(lang)
                    + (" (enabler)" if s.enabler else "")
                    + (" (added)" if s.added else " (changed)" if s.edited else "")
                    + (" (later: after the horizon)" if s.later else ""),
                    ", ".join(
                        f"{lift.dimension} {lift.from_level or '–'}→{lift.to_level}"
                        for lift in s.improves
                    ),
                    _fmt(s.priority),
                    ", ".join(s.depends_on) or "–",
                ]
                for s in items
            ]
            parts.append(table(["Weeks", "Initiative", "Lifts", "Priority", "Depends on"], rows))
        else:
            parts.append("  (nothing starts in this phase)")
        parts.append("")
    parts += _edits_text(roadmap)
    return "\n".join(parts).rstrip() + "\n"


def _edits_text(roadmap: Roadmap) -> list[str]:
    """What the consultant dropped, and the edits the plan could not fully honour."""
    lines = []
    if roadmap.dropped:
        lines.append("Dropped by the consultant: " + ", ".join(roadmap.dropped))
    lines += [f"Warning: {w.initiative}: {w.message}" for w in roadmap.warnings]
    return lines
