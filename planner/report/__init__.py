"""What the engine's results look like to a person: the PDF report, its charts and words, and
the JSON and text tables of the CLI and the exports. Reads the engine; the engine never reads it.

- `content`: what the report shows, computed once, in the report's language
- `text`: the report's words in English and Vietnamese
- `charts`: server-side SVG charts, the same for web pages and the PDF
- `pdf`: HTML -> PDF with WeasyPrint, through a fetcher that only serves our own assets
- `present`: scorecards and roadmaps as JSON-ready data and text tables
"""
