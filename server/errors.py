"""Errors as small named constructors, each saying what went wrong (oxigraph's style)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException

if TYPE_CHECKING:
    from maillage.releases import Archive


def bad_request(message: str) -> HTTPException:
    return HTTPException(status_code=400, detail=message)


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"not found: {what}")


def not_acceptable(offered: list[str]) -> HTTPException:
    return HTTPException(
        status_code=406, detail="not acceptable; this resource is offered as: " + ", ".join(offered)
    )


def payload_too_large(message: str) -> HTTPException:
    return HTTPException(status_code=413, detail=message)


def too_many_requests(retry_after_s: int) -> HTTPException:
    return HTTPException(
        status_code=429,
        detail=f"too many concurrent queries from this client; retry in {retry_after_s} s",
        headers={"Retry-After": str(retry_after_s)},
    )


def query_timeout(seconds: float) -> HTTPException:
    return HTTPException(
        status_code=503, detail=f"query stopped: it ran past the {seconds:g} s deadline"
    )


def unsupported_media_type(received: str, accepted: list[str]) -> HTTPException:
    return HTTPException(
        status_code=415,
        detail=f"unsupported content type {received!r}; send one of: " + ", ".join(accepted),
    )


def the_server_is_read_only() -> HTTPException:
    return HTTPException(status_code=400, detail="this endpoint is read-only: updates are refused")


def unknown_release(release: str, archive: Archive) -> HTTPException:
    """404 for a release id that is not kept, naming the ones that are."""
    kept = ", ".join(f"{p.release} (live from {p.live_from[0]})" for p in archive.releases)
    return HTTPException(
        status_code=404,
        detail=f"no release {release!r} is kept here; the releases kept are: "
        f"{kept or 'none'} (see /releases)",
    )
