"""What a downloaded file is called: `<client>-<title>-<date>`, in ASCII and in the real words.

Browsers that read RFC 6266's `filename*` save "Công ty Đông Á - Đánh giá CRM - 2026-12-04.pdf";
the others get the ASCII `filename`, "cong-ty-dong-a-danh-gia-crm-2026-12-04.pdf".
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from planner.formats import slug
from planner.models import Assessment
from planner.services import clients

UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')  # what file systems or the header refuse


def stem(client: str, title: str, day: date) -> tuple[str, str]:
    """(ASCII, real) names without an extension; a part that leaves no ASCII letters is left out."""
    ascii_name = "-".join(part for part in (slug(client), slug(title), day.isoformat()) if part)
    real = " - ".join(
        part for part in (UNSAFE.sub(" ", client).strip(), UNSAFE.sub(" ", title).strip()) if part
    )
    return ascii_name, f"{real} - {day.isoformat()}" if real else day.isoformat()


def attachment(names: tuple[str, str], suffix: str) -> str:
    """A Content-Disposition value for `names` (from `stem`) ending in `suffix` (".pdf")."""
    ascii_name, real = names
    return (
        f'attachment; filename="{ascii_name}{suffix}"; '
        f"filename*=UTF-8''{quote(real + suffix, safe='')}"
    )


def names(assessment: Assessment) -> tuple[str, str]:
    """The `stem` of `assessment`'s files: its client, its title and today (the day of this copy)."""
    client = clients.get(assessment.organisation_id, assessment.client_id)
    return stem(client.name, assessment.title, date.today())
