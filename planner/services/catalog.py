"""The catalog as the web app sees it: shipped files plus a consultancy's uploads, pinned by hash."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import inspect, select

from planner import isolation
from planner.catalog import Catalog, CatalogError, build_catalog
from planner.catalog.loader import SourceFile, shipped_files, source_from_bytes
from planner.catalog.yamlsafe import LMap, parse
from planner.database import transaction
from planner.extensions import db
from planner.models import Assessment, AssessmentFile, CustomFramework, StoredFile
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


CACHED_CATALOGS = 32
_catalogs: OrderedDict[tuple[tuple[str, str, str], ...], Catalog] = OrderedDict()
_catalogs_lock = threading.Lock()


def _source(kind: str, name: str, data: bytes) -> SourceFile:
    return source_from_bytes(
        data, name, shipped=kind != "custom", kind=None if kind == "custom" else kind
    )


def _cached(key: tuple[tuple[str, str, str], ...], build: Callable[[], Catalog]) -> Catalog:
    """The catalog for `key` (kind, name, hash of each file): the same hashes give the same one."""
    with _catalogs_lock:
        if key in _catalogs:
            _catalogs.move_to_end(key)
            return _catalogs[key]
    catalog = build()  # outside the lock: a first build takes a while, and two may race harmlessly
    with _catalogs_lock:
        _catalogs[key] = catalog
        while len(_catalogs) > CACHED_CATALOGS:
            _catalogs.popitem(last=False)
    return catalog


def catalog_from(files: Sequence[tuple[str, str, str]]) -> Catalog:
    """The catalog of stored files, built from their bytes in the database the first time."""
    key = tuple(files)

    def build() -> Catalog:
        rows = {
            row.hash: row.data
            for row in db.session.scalars(
                select(StoredFile).where(StoredFile.hash.in_([h for _, _, h in key]))
            )
        }
        return build_catalog([_source(kind, name, rows[h]) for kind, name, h in key])

    return _cached(key, build)


def catalog_from_bytes(files: Sequence[tuple[str, str, bytes]]) -> Catalog:
    """The catalog of (kind, name, bytes) not necessarily stored yet, under the key the stored
    files would have: reading it writes nothing."""
    key = tuple((kind, name, file_hash(data)) for kind, name, data in files)
    return _cached(key, lambda: build_catalog([_source(k, n, d) for k, n, d in files]))


def current_sources(organisation_id: int, frameworks_dir: Path) -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes) of the files `current_files` would pin, without storing any."""
    files = shipped(frameworks_dir)
    customs = db.session.execute(
        select(CustomFramework.framework_id, StoredFile.data)
        .join(StoredFile, StoredFile.hash == CustomFramework.file_hash)
        .where(CustomFramework.organisation_id == organisation_id)
        .order_by(CustomFramework.id)
    ).all()
    return files + [("custom", f"{fid}.yaml", data) for fid, data in customs]


def warm(frameworks_dir: Path) -> None:
    """Build, before the first request, what it would otherwise wait for: the shipped catalog
    (from the files on disk, under the key an assessment pinning them has) and the catalogs the
    open assessments pinned. A fresh worker's first autosave then checks its answer at once."""
    files = shipped(frameworks_dir)
    key = tuple((kind, name, file_hash(data)) for kind, name, data in files)
    _cached(key, lambda: build_catalog([_source(kind, name, data) for kind, name, data in files]))
    if not inspect(db.engine).has_table(Assessment.__tablename__):
        return  # not migrated yet
    pinned = db.session.execute(
        select(
            AssessmentFile.assessment_id,
            AssessmentFile.kind,
            AssessmentFile.name,
            AssessmentFile.file_hash,
        )
        .join(Assessment)
        .where(Assessment.status == "open")
        .order_by(Assessment.id.desc(), AssessmentFile.position)
    ).all()
    sets: dict[int, list[tuple[str, str, str]]] = {}
    for assessment_id, kind, name, digest in pinned:
        sets.setdefault(assessment_id, []).append((kind, name, digest))
    for files_of in list(dict.fromkeys(tuple(v) for v in sets.values()))[:CACHED_CATALOGS]:
        catalog_from(files_of)


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
