"""HTML -> PDF with WeasyPrint, outside any request, through a fetcher that only serves our own assets."""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2

from planner.answers import Loaded
from planner.roadmap import Roadmap, plan
from planner.scoring import ScoreCard, score

REPORTS_DIR = Path(__file__).resolve().parents[1] / "reports"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "report": "CRM maturity assessment and roadmap",
        "confidential": "Confidential — prepared for {client}. Not for distribution.",
        "date": "Date",
        "models": "Models",
        "respondents": "Respondents",
        "summary": "Summary",
        "model": "Model",
        "score": "Score",
        "level": "Level",
        "target": "Target",
        "gap": "Gap",
        "coverage": "Coverage",
        "to_target": "Progress to target",
        "strengths": "Strongest dimensions",
        "gaps": "Largest gaps",
        "roadmap_lines": "The roadmap in brief",
        "participation": "Participation",
        "dimension": "Dimension",
        "priority": "Priority",
        "insufficient": "insufficient answers",
        "roadmap": "Roadmap",
        "weeks": "Weeks",
        "initiative": "Initiative",
        "lifts": "Lifts",
        "depends": "Depends on",
        "owner": "Owner",
        "enabler": "enabler",
        "projected": "Projected score after this phase",
        "no_roadmap": "No initiative is needed: every scored dimension is at or above its target.",
        "nothing": "Nothing starts in this phase.",
        "contested": "Contested questions",
        "perception": "Perception gaps by role",
        "methodology": "Methodology",
        "method_text": (
            "Each question is answered on the model's maturity scale. A question's score is the mean of "
            "its answers (or the level agreed in the workshop); a dimension's score is the weighted mean of "
            "its questions, and a model's the weighted mean of its dimensions. Not-applicable answers are "
            "{na}. Coverage is the share of applicable questions that received a score; below 50% the "
            "dimension is marked as having insufficient answers."
        ),
        "na_exclude": "left out of the score and the coverage",
        "na_minimum": "counted as the lowest level",
        "source": "Source",
        "version": "Version",
        "in_phase": "{n} initiatives start in {phase}",
        "by_role": "{n} by role {role}",
        "no_answers": "no answers yet",
    },
    "vi": {
        "report": "Đánh giá mức độ trưởng thành CRM và lộ trình cải tiến",
        "confidential": "Tài liệu mật — chuẩn bị cho {client}. Không phát hành rộng rãi.",
        "date": "Ngày",
        "models": "Mô hình",
        "respondents": "Người trả lời",
        "summary": "Tóm tắt",
        "model": "Mô hình",
        "score": "Điểm",
        "level": "Cấp độ",
        "target": "Mục tiêu",
        "gap": "Khoảng cách",
        "coverage": "Độ bao phủ",
        "to_target": "Tiến độ đến mục tiêu",
        "strengths": "Các khía cạnh mạnh nhất",
        "gaps": "Các khoảng cách lớn nhất",
        "roadmap_lines": "Lộ trình tóm tắt",
        "participation": "Mức độ tham gia",
        "dimension": "Khía cạnh",
        "priority": "Mức ưu tiên",
        "insufficient": "chưa đủ câu trả lời",
        "roadmap": "Lộ trình",
        "weeks": "Tuần",
        "initiative": "Sáng kiến",
        "lifts": "Nâng cấp",
        "depends": "Phụ thuộc vào",
        "owner": "Người phụ trách",
        "enabler": "sáng kiến nền tảng",
        "projected": "Điểm dự kiến sau giai đoạn này",
        "no_roadmap": "Không cần sáng kiến nào: mọi khía cạnh đã có điểm đều đạt hoặc vượt mục tiêu.",
        "nothing": "Không có sáng kiến nào bắt đầu trong giai đoạn này.",
        "contested": "Các câu hỏi còn nhiều ý kiến khác nhau",
        "perception": "Khác biệt nhận thức giữa các vai trò",
        "methodology": "Phương pháp",
        "method_text": (
            "Mỗi câu hỏi được trả lời theo thang đo mức độ trưởng thành của mô hình. Điểm của một câu hỏi "
            "là trung bình các câu trả lời (hoặc cấp độ được thống nhất trong hội thảo); điểm của một khía "
            "cạnh là trung bình có trọng số của các câu hỏi, và điểm của mô hình là trung bình có trọng số "
            "của các khía cạnh. Câu trả lời «không áp dụng» được {na}. Độ bao phủ là tỷ lệ câu hỏi áp dụng "
            "đã có điểm; dưới 50% thì khía cạnh được đánh dấu là chưa đủ câu trả lời."
        ),
        "na_exclude": "loại khỏi điểm và độ bao phủ",
        "na_minimum": "tính là cấp độ thấp nhất",
        "source": "Nguồn",
        "version": "Phiên bản",
        "in_phase": "{n} sáng kiến bắt đầu trong giai đoạn {phase}",
        "by_role": "{n} người với vai trò {role}",
        "no_answers": "chưa có câu trả lời",
    },
}


class RestrictedFetcher:
    """Serves `data:` URIs and files under the report folder; refuses everything else.

    Built lazily on WeasyPrint's URLFetcher so importing this module stays cheap.
    """

    def __new__(cls, roots: tuple[Path, ...] = (REPORTS_DIR,)) -> Any:
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        allowed = tuple(r.resolve() for r in roots)

        class _Fetcher(URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                parsed = urlparse(url)
                if parsed.scheme == "data":
                    return super().fetch(url, headers)
                if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
                    path = Path(unquote(parsed.path)).resolve()
                    if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
                raise ValueError(
                    f"refused to fetch {url[:80]!r}: only the report's own assets are served"
                )

        return _Fetcher(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)


@dataclass(frozen=True)
class ReportInput:
    loaded: Loaded
    card: ScoreCard
    roadmap: Roadmap
    today: date


def _environment(reports_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(reports_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, fmt="{:.2f}": "–" if v is None else fmt.format(v)
    env.filters["pct"] = lambda v: "–" if v is None else f"{v * 100:.0f}%"
    return env


def build_input(loaded: Loaded, today: date | None = None) -> ReportInput:
    card = score(
        loaded.assessment, loaded.frameworks, loaded.catalog.crosswalk.equivalent_questions
    )
    lang = loaded.assessment.language
    road = plan(card, loaded.catalog.all_initiatives(), loaded.assessment.roadmap, lang)
    return ReportInput(loaded, card, road, today or date.today())


def render_html(data: ReportInput, reports_dir: Path = REPORTS_DIR) -> str:
    lang = data.loaded.assessment.language
    labels = LABELS.get(lang, LABELS["en"])
    dims = [ds for fs in data.card.frameworks for ds in fs.dimensions if ds.score is not None]
    strengths = sorted(dims, key=lambda d: (-(d.score or 0), d.dimension.full_id))[:3]
    weakest = sorted(
        (d for d in dims if (d.gap or 0) > 0),
        key=lambda d: (-(d.priority or 0), d.dimension.full_id),
    )[:3]
    roles: dict[str, int] = {}
    for r in data.loaded.assessment.respondents:
        roles[r.role or "–"] = roles.get(r.role or "–", 0) + 1
    template = _environment(reports_dir).get_template("report.html")
    return template.render(
        a=data.loaded.assessment,
        card=data.card,
        roadmap=data.roadmap,
        lang=lang,
        t=labels,
        today=data.today.isoformat(),
        strengths=strengths,
        weakest=weakest,
        roles=roles,
        dim_label=_dimension_labels(data.card, lang),
        titles={s.initiative.id: s.initiative.title.get(lang) for s in data.roadmap.initiatives},
    )


def _dimension_labels(card: ScoreCard, lang: str) -> dict[str, str]:
    """Dimension names, prefixed with their model's when the report covers several models."""
    several = len(card.frameworks) > 1
    return {
        ds.dimension.full_id: (f"{fs.framework.name.get(lang)} — " if several else "")
        + ds.dimension.name.get(lang)
        for fs in card.frameworks
        for ds in fs.dimensions
    }


def html_to_pdf(html: str, output: Path, reports_dir: Path = REPORTS_DIR) -> int:
    """Write the PDF; return its page count."""
    from weasyprint import CSS, HTML

    fetcher = RestrictedFetcher((reports_dir,))
    stylesheet = CSS(filename=str(reports_dir / "print.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=reports_dir.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=[stylesheet]
    )
    document.write_pdf(str(output))  # the document keeps the HTML's fetcher for attachments
    return len(document.pages)


def render_report(
    loaded: Loaded, output: Path, html_out: Path | None = None, today: date | None = None
) -> int:
    html = render_html(build_input(loaded, today))
    if html_out is not None:
        html_out.write_text(html, encoding="utf-8")
    return html_to_pdf(html, output)


def data_uri(payload: bytes, kind: str) -> str:
    return f"data:{kind};base64,{base64.b64encode(payload).decode('ascii')}"
