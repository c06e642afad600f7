"""The catalog as the web app sees it: shipped files plus a consultancy's uploads, pinned by hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from planner import isolation
from planner.catalog import Catalog, CatalogError, build_catalog
from planner.catalog.loader import shipped_files, source_from_bytes
from planner.catalog.yamlsafe import LMap, parse
from planner.database import transaction
from planner.extensions import db
from planner.models import CustomFramework, StoredFile
from planner.services import ServiceError

LIBRARY_KINDS = {
    "scales.yaml": "scales",
    "initiatives.yaml": "initiatives",
    "crosswalk.yaml": "crosswalk",
}
UPLOAD_SECONDS = 5
UPLOAD_MEMORY = 512 * 1024 * 1024


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shipped(frameworks_dir: Path) -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes) of every shipped file."""
    return [
        (LIBRARY_KINDS.get(p.name, "framework"), p.name, p.read_bytes())
        for p in shipped_files(frameworks_dir)
    ]


@lru_cache(maxsize=32)
def _build(files: tuple[tuple[str, str, str], ...]) -> Catalog:
    """A catalog from stored files (kind, name, hash); cached, since the same hashes give the same catalog."""
    rows = {
        row.hash: row.data
        for row in db.session.scalars(
            select(StoredFile).where(StoredFile.hash.in_([h for _, _, h in files]))
        )
    }
    sources = [
        source_from_bytes(
            rows[h], name, shipped=kind != "custom", kind=None if kind == "custom" else kind
        )
        for kind, name, h in files
    ]
    return build_catalog(sources)


def catalog_from(files: Sequence[tuple[str, str, str]]) -> Catalog:
    return _build(tuple(files))


def store(name: str, data: bytes) -> str:
    """Keep a file's bytes under their hash (inside the caller's transaction)."""
    digest = file_hash(data)
    if db.session.get(StoredFile, digest) is None:
        db.session.add(StoredFile(hash=digest, name=name[:200], data=data))
    return digest


def current_files(organisation_id: int, frameworks_dir: Path) -> list[tuple[str, str, str]]:
    """The files an assessment created now would pin: shipped ones and the consultancy's uploads."""
    with transaction():
        files = [(kind, name, store(name, data)) for kind, name, data in shipped(frameworks_dir)]
    customs = db.session.scalars(
        select(CustomFramework)
        .where(CustomFramework.organisation_id == organisation_id)
        .order_by(CustomFramework.id)
    ).all()
    files += [("custom", f"{c.framework_id}.yaml", c.file_hash) for c in customs]
    return files


def current_catalog(organisation_id: int, frameworks_dir: Path) -> Catalog:
    return catalog_from(current_files(organisation_id, frameworks_dir))


# --- uploads: parsed in a child process with a time and memory limit -----------------------------


def _check(data: bytes, name: str, library: list[tuple[str, str, bytes]]) -> tuple[str, list[str]]:
    """In the child: build the shipped catalog with the uploaded file; its problems, or its framework id."""
    shipped_ids = {Path(n).stem for k, n, _ in library if k == "framework"}
    document, _problems = parse(data, name)
    if isinstance(document, LMap) and str(document.get("id")) in shipped_ids:
        # one clear message, rather than every clash it would cause across the shipped files
        where = document.at("id")
        return "problems", [
            f"{where}: id {document['id']!r} belongs to a shipped model; give your model its own id"
        ]
    sources = [
        source_from_bytes(d, n, shipped=True, kind=None if k == "custom" else k)
        for k, n, d in library
    ]
    sources.append(source_from_bytes(data, name, kind="framework"))
    try:
        catalog = build_catalog(sources)
    except CatalogError as exc:
        own = [str(p) for p in exc.problems if p.mark.path == name]
        return "problems", own or [str(p) for p in exc.problems]
    return "ok", [fw.id for fw in catalog.frameworks if fw.path == name]


def check_upload(data: bytes, name: str, frameworks_dir: Path) -> str:
    """Validate an uploaded model file in a child process; return its framework id or raise with every problem."""
    if not data.strip():
        raise UploadError([f"{name}:1:1: the file is empty"])
    library = [(k, f"frameworks/{n}", d) for k, n, d in shipped(frameworks_dir)]
    try:
        status, payload = isolation.run(
            _check, (data, name, library), UPLOAD_SECONDS, UPLOAD_MEMORY
        )
    except isolation.Timeout:
        raise UploadError(
            [f"{name}:1:1: the file took too long to check (over {UPLOAD_SECONDS} s)"]
        ) from None
    except isolation.Failed:
        raise UploadError(
            [f"{name}:1:1: the file could not be checked (too large or too deeply nested)"]
        ) from None
    if status == "problems":
        raise UploadError(payload)
    if not payload:
        raise UploadError([f"{name}:1:1: the file is not a model definition"])
    return str(payload[0])


class UploadError(ServiceError):
    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def add_custom(organisation_id: int, name: str, data: bytes, frameworks_dir: Path) -> str:
    framework_id = check_upload(data, name, frameworks_dir)
    builtin = {p.stem for p in shipped_files(frameworks_dir)}
    with transaction() as session:
        if framework_id in builtin:
            raise UploadError(
                [f"{name}:1:1: id {framework_id!r} is a shipped model; give your model its own id"]
            )
        digest = store(name, data)
        existing = session.scalars(
            select(CustomFramework).where(
                CustomFramework.organisation_id == organisation_id,
                CustomFramework.framework_id == framework_id,
            )
        ).first()
        if existing:
            existing.file_hash = digest
        else:
            session.add(
                CustomFramework(
                    organisation_id=organisation_id, framework_id=framework_id, file_hash=digest
                )
            )
    return framework_id
