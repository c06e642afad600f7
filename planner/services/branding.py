"""A consultancy's branding: name, logo (PNG or JPEG, size- and pixel-limited) and accent colour."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from planner.database import transaction
from planner.extensions import db
from planner.inputs import BadText, clean_text
from planner.models import Organisation
from planner.report.charts import contrast
from planner.report.content import DEFAULT_COLOUR, Brand
from planner.services import NotFound, ServiceError

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_PIXELS = 2000 * 2000
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _organisation(organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("No such consultancy.")
    return org


WHITE = "#ffffff"
PAGE = "#f4f6f9"  # static/app.css --bg, where links sit outside the cards
READABLE = 4.5  # WCAG AA for normal text: white on the colour, and the colour on white or the page


@dataclass(frozen=True)
class Look:
    """What every page shows of a consultancy's brand: the name, the logo (at `logo_url`), and
    its colour made readable for white text on buttons and the top bar and for links on white.
    `version` changes whenever any of them does, so a browser never shows a stale one."""

    organisation_id: int
    name: str
    has_logo: bool
    colour: str | None  # None: the app's own colours
    version: str


def readable(colour: str) -> str:
    """`colour`, darkened in small steps until white text on it (and it on white) reaches 4.5:1;
    a colour already dark enough is returned as it is."""
    red, green, blue = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    shade = colour.lower()
    step = 0
    while min(contrast(shade, WHITE), contrast(shade, PAGE)) < READABLE and step < 20:
        step += 1
        keep = 1 - step * 0.05
        shade = "#" + "".join(f"{round(c * keep):02x}" for c in (red, green, blue))
    return shade


def look_of(organisation_id: int) -> Look:
    org = _organisation(organisation_id)
    colour = readable(org.brand_colour) if org.brand_colour else None
    digest = hashlib.sha256(f"{org.name}|{colour}".encode())
    digest.update(org.logo or b"")
    return Look(org.id, org.name, bool(org.logo), colour, digest.hexdigest()[:12])


def logo_of(organisation_id: int) -> tuple[bytes, str] | None:
    org = _organisation(organisation_id)
    return (org.logo, org.logo_type) if org.logo and org.logo_type else None


def brand_of(organisation_id: int) -> Brand:
    org = _organisation(organisation_id)
    logo = None
    if org.logo and org.logo_type:
        logo = f"data:{org.logo_type};base64,{base64.b64encode(org.logo).decode('ascii')}"
    return Brand(name=org.name, logo=logo, colour=org.brand_colour or DEFAULT_COLOUR)


def check_logo(data: bytes) -> str:
    """The logo's media type, after checking it is a real PNG or JPEG of a sane size."""
    if len(data) > MAX_LOGO_BYTES:
        raise ServiceError(f"The logo must be at most {MAX_LOGO_BYTES // 1024} KB.")
    kind = next((k for sig, k in SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise ServiceError("The logo must be a PNG or JPEG image.")
    from PIL import Image

    too_large = ServiceError("The logo is too large: at most 2000 × 2000 pixels.")
    try:
        with warnings.catch_warnings():
            # Pillow refuses a huge image (a decompression bomb) before we can read its size
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise too_large
                image.verify()
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except Exception:
        raise ServiceError("The logo could not be read as an image.") from None
    return kind


def update(
    organisation_id: int,
    name: str,
    colour: str | None,
    logo: bytes | None,
    remove_logo: bool = False,
) -> None:
    try:
        name = clean_text(name).strip()
    except BadText as exc:
        raise ServiceError(str(exc)) from None
    if not name or len(name) > 200:
        raise ServiceError("Enter the consultancy's name (at most 200 characters).")
    colour = (colour or "").strip() or None
    if colour is not None and not COLOUR.match(colour):
        raise ServiceError("The colour must be a hex value such as #17324d.")
    kind = check_logo(logo) if logo else None
    with transaction():
        org = _organisation(organisation_id)
        org.name = name
        org.brand_colour = colour.lower() if colour else None
        if logo:
            org.logo, org.logo_type = logo, kind
        elif remove_logo:
            org.logo, org.logo_type = None, None
