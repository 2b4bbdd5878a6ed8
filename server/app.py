"""The application factory: ``create_app(settings)``. No import-time global app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from maillage import store
from maillage.layout import MANIFEST
from maillage.rdfio import prefixes
from maillage.remote_store import RemoteEngine
from maillage.settings import Settings
from server.routes import catalog, downloads, pages, resources, sparql


class NoRelease(RuntimeError):
    """The server was started before any release was built."""


def live_release(settings: Settings) -> Path:
    current = settings.current_release
    if not (current / MANIFEST).is_file():
        raise NoRelease(f"no release at {current}: run `maillage build` (or `make build`) first")
    return current.resolve()


def create_app(settings: Settings) -> FastAPI:
    release = live_release(settings)
    app = FastAPI(
        title="Maillage",
        description="Linked open data on the digital-economy networks of Occitanie.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.release = release
    pages.install(app)
    sparql.install(app, remote_engine(settings))
    resources.install(app, pages.render_resource_html)
    downloads.install(app)
    catalog.install(app)
    app.add_middleware(  # added last, so outermost: every response gets CORS headers
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["*"],
    )
    return app


def remote_engine(settings: Settings) -> RemoteEngine | None:
    """The engine over ``sparql_endpoint`` when it is set (else None: the embedded store)."""
    if not settings.sparql_endpoint:
        return None
    limits = store.Limits(
        settings.query_timeout_s, settings.result_max_rows, settings.result_max_bytes
    )
    return RemoteEngine(
        settings.sparql_endpoint,
        limits,
        query_base=settings.iris.sparql,
        graph_namespace=settings.iris.claim_graphs,
        default_graph=settings.sparql_endpoint_default_graph,
        prefixes=prefixes(settings.base_iri),
    )


def app_from_environment() -> FastAPI:
    """The factory ``uvicorn --factory`` and each worker process call: settings from MAILLAGE_*."""
    return create_app(Settings.from_env())
