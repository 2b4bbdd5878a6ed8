"""``/downloads/``: every file of the live release, and ``/releases/{id}/downloads/``: every file
of each release kept; each with its media type, size, SHA-256 (the ETag), Last-Modified,
conditional requests (304) and byte ranges (206, 416)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse

from maillage.formats import UnknownFormat, of_file
from maillage.layout import MANIFEST
from server import errors, openapi, routing
from server.i18n import vary
from server.negotiation import NotAcceptable, choose
from server.representations import LICENSE, cached_response, not_modified
from server.site import cached_page, render
from server.summary import download as described_file

INDEX_TYPES = ["application/json", "text/html"]

router = APIRouter(tags=["downloads"])


def install(app: FastAPI) -> None:
    app.state.release_files = ReleaseFiles(app.state.release)
    app.state.archived_files = {app.state.release_files.release_id: app.state.release_files}
    app.include_router(router)


@dataclass(frozen=True)
class ReleaseFile:
    name: str
    path: Path
    size: int
    sha256: str
    media_type: str
    last_modified: float


class ReleaseFiles:
    """The files of one release, read from its manifest (and the manifest itself)."""

    def __init__(self, release: Path) -> None:
        manifest_bytes = (release / MANIFEST).read_bytes()
        manifest = json.loads(manifest_bytes)
        self.release_id: str = manifest["release"]
        entries = {name: (e["bytes"], e["sha256"]) for name, e in manifest["files"].items()}
        entries[MANIFEST] = (len(manifest_bytes), hashlib.sha256(manifest_bytes).hexdigest())
        self.files = {
            name: _release_file(release, name, size, sha)
            for name, (size, sha) in sorted(entries.items())
        }

    def listing(self, downloads_url: str) -> dict:
        """The files as JSON, each at ``downloads_url`` + its name."""
        return {
            "release": self.release_id,
            "license": LICENSE,
            "files": [
                {
                    "name": f.name,
                    "url": f"{downloads_url}{f.name}",
                    "bytes": f.size,
                    "sha256": f.sha256,
                    "media_type": f.media_type,
                }
                for f in self.files.values()
            ],
        }


def _release_file(release: Path, name: str, size: int, sha256: str) -> ReleaseFile:
    path = release / name
    return ReleaseFile(name, path, size, sha256, served_type(name), path.stat().st_mtime)


def served_type(name: str) -> str:
    """By the file's format: a ``.nt.gz`` file is served as the gzip file it is (no
    Content-Encoding, so its bytes, size and SHA-256 are the ones listed)."""
    try:
        return of_file(name).media_type
    except UnknownFormat:
        return "application/octet-stream"


def release_files(request: Request) -> ReleaseFiles:
    return request.app.state.release_files


def kept_release_files(request: Request, release: str) -> ReleaseFiles:
    """The files of a release kept in the archive, read from its manifest once; the live one is
    ``/downloads/``'s. An unknown id is a 404 naming the releases kept."""
    cache: dict[str, ReleaseFiles] = request.app.state.archived_files
    if release not in cache:
        archive = request.app.state.archive
        published = archive.get(release)
        if published is None:
            raise errors.unknown_release(release, archive)
        cache[release] = ReleaseFiles(published.directory)
    return cache[release]


def archived_path(release: str) -> str:
    """Where the files of a release kept are on this server (the live one's are also at
    ``/downloads/``)."""
    return f"/releases/{release}/downloads/"


@routing.get(router, "/downloads/", responses=openapi.FILES_INDEX)
def index(request: Request) -> Response:
    """The release's files with sizes and SHA-256: JSON, or HTML for a browser."""
    return files_index(request, release_files(request), "/downloads/", live=True)


@routing.get(router, "/releases/{release}/downloads/", responses=openapi.FILES_INDEX)
def release_index(request: Request, release: str) -> Response:
    """The files of a release kept (live or not) with sizes and SHA-256: JSON, or HTML for a
    browser; 404 naming the releases kept for an unknown id."""
    files = kept_release_files(request, release)
    live = request.app.state.archive.live
    return files_index(
        request, files, archived_path(release), live is not None and live.release == release
    )


def files_index(request: Request, files: ReleaseFiles, path: str, live: bool) -> Response:
    try:
        media = choose(request.headers.get("accept"), INDEX_TYPES)
    except NotAcceptable as refused:
        raise errors.not_acceptable(refused.offered) from None
    settings = request.app.state.settings
    if media == "text/html":
        return index_page(request, files, path, live, settings.cache_max_age_s)
    url = settings.served_base + path.removeprefix("/")
    body = json.dumps(files.listing(url), indent=1) + "\n"
    return cached_response(
        request, body.encode(), media, {"Vary": "Accept"}, settings.cache_max_age_s
    )


def index_page(
    request: Request, files: ReleaseFiles, path: str, live: bool, max_age: int
) -> Response:
    """The files for people: in the site's page, each with what it holds in the page's
    language (``server/summary.py``), as the home page lists them; a release that is not the
    live one says so."""
    shown = [described_file(f.name, f.size, f.sha256, path) for f in files.files.values()]
    context = {"files": shown, "release": files.release_id, "downloads_path": path, "live": live}
    response = render(request, "downloads.html", context)
    vary(response, "Accept")
    return cached_page(request, response, max_age)


@routing.get(router, "/downloads/{name:path}", responses=openapi.DOWNLOAD)
def download(request: Request, name: str) -> Response:
    """One file of the release, byte for byte."""
    found = release_files(request).files.get(name)
    if found is None:
        raise errors.not_found(f"/downloads/{name} (see /downloads/ for the release's files)")
    return file_response(request, found)


@routing.get(router, "/releases/{release}/downloads/{name:path}", responses=openapi.DOWNLOAD)
def release_download(request: Request, release: str, name: str) -> Response:
    """One file of a release kept, byte for byte, as ``/downloads/`` serves the live one's."""
    files = kept_release_files(request, release)
    found = files.files.get(name)
    if found is None:
        path = archived_path(release)
        raise errors.not_found(f"{path}{name} (see {path} for the release's files)")
    return file_response(request, found)


def file_response(request: Request, found: ReleaseFile) -> Response:
    headers = _file_headers(found, request.app.state.settings.cache_max_age_s)
    if _unchanged(request, found, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(found.path, media_type=found.media_type, headers=headers)


def _file_headers(found: ReleaseFile, max_age: int) -> dict[str, str]:
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode()
    return {
        "ETag": f'"{found.sha256}"',
        "Last-Modified": formatdate(found.last_modified, usegmt=True),
        "Cache-Control": f"public, max-age={max_age}",
        "Repr-Digest": f"sha-256=:{digest}:",
        "Link": f'<{LICENSE}>; rel="license"',
    }


def _unchanged(request: Request, found: ReleaseFile, etag: str) -> bool:
    """If-None-Match decides when present; otherwise If-Modified-Since (RFC 9110, 13.2.2)."""
    if "if-none-match" in request.headers:
        return not_modified(request, etag)
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since).timestamp() >= int(found.last_modified)
    except (TypeError, ValueError):
        return False
