"""The pure engine (DESIGN §5-§7): answers and frameworks in, scores, findings and plans out.

No Flask, no database, no files: the CLI, the services and the tests call the same functions.
It reads the catalog's and the answers format's frozen types and nothing above them.

- `scoring`: answers + frameworks -> ScoreCard (DESIGN §5)
- `findings`: what the results may claim - tentative scores, strengths and gaps
- `roadmap`: ScoreCard + initiatives + the consultant's edits -> scheduled Roadmap (DESIGN §6)
- `progress`: a re-assessment against its baseline, and what was due by now
- `rescore`: one model's scores on another version of it
- `questionnaire`: each unique question once, for a blank answers file
- `estimate`: how long a set of models takes to answer
- `workshop`: the live workshop's agenda, phase machine and votes (DESIGN §7)
"""
