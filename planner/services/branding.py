"""A consultancy's branding: name, logo (PNG or JPEG, size- and pixel-limited) and accent colour."""

from __future__ import annotations

import base64
import io
import re
import warnings

from planner.database import transaction
from planner.extensions import db
from planner.inputs import BadText, clean_text
from planner.models import Organisation
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
