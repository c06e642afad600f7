"""Benchmark: scoring + roadmap for synthetic models the size of the six shipped ones, 50 respondents.

Run: .venv/bin/python bench/scoring.py [--respondents 50] [--repeat 30]
Prints the median and the slowest run of each stage; the design asks for well under 50 ms in all.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from planner.answers import NA, Answer, Assessment, Respondent
from planner.catalog import (
    Dimension,
    Framework,
    Improvement,
    Initiative,
    Level,
    Question,
    Scale,
    Text,
)
from planner.engine.roadmap import plan
from planner.engine.scoring import score

SCALE = Scale("crm-5", tuple(Level(v, Text.plain(f"L{v}")) for v in range(1, 6)))
# (dimensions, questions) of idic, gartner-8, qci, payne-frow, value-chain, conceptual
SHAPES = [(4, 20), (8, 20), (8, 20), (9, 20), (10, 20), (5, 12)]


def frameworks() -> list[Framework]:
    out = []
    for f, (dims, questions) in enumerate(SHAPES):
        per = [questions // dims + (1 if d < questions % dims else 0) for d in range(dims)]
        out.append(
            Framework(
                id=f"m{f}",
                version="1",
                name=Text.plain(f"Model {f}"),
                languages=("en",),
                scale=SCALE,
                default_target=4,
                dimensions=tuple(
                    Dimension(
                        id=f"d{d}",
                        full_id=f"m{f}.d{d}",
                        name=Text.plain(f"D{d}"),
                        questions=tuple(
                            Question(
                                f"q{q}",
                                f"m{f}.d{d}.q{q}",
                                Text.plain("?"),
                                tuple((v, Text.plain("a")) for v in range(1, 6)),
                            )
                            for q in range(per[d])
                        ),
                    )
                    for d in range(dims)
                ),
            )
        )
    return out


def library(fws: list[Framework], rng: random.Random) -> list[Initiative]:
    out: list[Initiative] = []
    for fw in fws:
        for dim in fw.dimensions:
            previous: str | None = None
            for level in (2, 3, 4, 5):
                iid = f"{dim.full_id}-{level}"
                deps = [previous] if previous else []
                if out and rng.random() < 0.3:
                    deps.append(rng.choice(out).id)
                out.append(
                    Initiative(
                        iid,
                        Text.plain(iid),
                        rng.randint(4, 20),
                        (Improvement(dim.full_id, level),),
                        depends_on=tuple(deps),
                    )
                )
                previous = iid
    return out


def assessment(fws: list[Framework], people: int, rng: random.Random) -> Assessment:
    qids = [q.full_id for fw in fws for _, q in fw.questions()]
    respondents = []
    for i in range(people):
        answers = {}
        for q in qids:
            roll = rng.random()
            answers[q] = Answer(
                NA if roll < 0.03 else "unknown" if roll < 0.06 else rng.randint(1, 4)
            )
        respondents.append(
            Respondent(f"R{i}", rng.choice(["ceo", "sales", "service"]), None, answers)
        )
    return Assessment(
        client="Bench", frameworks=tuple(fw.id for fw in fws), respondents=tuple(respondents)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(42)
    fws = frameworks()
    lib = library(fws, rng)
    data = assessment(fws, args.respondents, rng)
    questions = sum(fw.question_count for fw in fws)
    timings: dict[str, list[float]] = {"score": [], "roadmap": [], "total": []}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        card = score(data, fws)
        t1 = time.perf_counter()
        road = plan(card, lib)
        t2 = time.perf_counter()
        timings["score"].append(t1 - t0)
        timings["roadmap"].append(t2 - t1)
        timings["total"].append(t2 - t0)
    print(
        f"{len(fws)} models, {sum(len(fw.dimensions) for fw in fws)} dimensions, {questions} questions, "
        f"{args.respondents} respondents ({questions * args.respondents} answers), {len(lib)} initiatives in the library, "
        f"{len(road.initiatives)} scheduled"
    )
    for stage, values in timings.items():
        print(
            f"{stage:8s} median {statistics.median(values) * 1000:7.2f} ms   max {max(values) * 1000:7.2f} ms   ({args.repeat} runs)"
        )


if __name__ == "__main__":
    main()
