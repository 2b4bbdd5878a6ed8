"""The application factory: ``create_app(settings)``. No import-time global app."""

from __future__ import annotations

import logging
import sys

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.config import STARTUP_FAILURE

from maillage.release_reader import ReleaseReader
from maillage.releases import Archive
from maillage.settings import Settings
from server import openapi, routing
from server.description_cache import DescriptionCache
from server.routes import (
    browse,
    catalog,
    changes,
    crawlers,
    downloads,
    memento,
    network,
    pages,
    reconcile,
    resources,
    search,
    sparql,
    timeline,
)
from server.security_headers import SecurityHeaders
from server.starting import CORS, live_release


def create_app(settings: Settings) -> FastAPI:
    release = live_release(settings)
    app = FastAPI(
        title="Maillage",
        description="Linked open data on the digital-economy networks of Occitanie.",
        docs_url=None,
        redoc_url=None,
    )
    app.openapi = lambda: openapi.describe(app)  # every status code and media type, declared
    app.state.settings = settings
    app.state.release = release
    app.state.reader = ReleaseReader(release, settings.base_iri)
    app.state.archive = Archive(
        settings.var_dir, settings.base_iri, app.state.reader, served=settings.release_dir
    )
    app.state.descriptions = DescriptionCache(app.state.reader, settings)
    pages.install(app)
    timeline.install(app)
    network.install(app)
    browse.install(app)
    search.install(app)
    reconcile.install(app)
    sparql.install(app)
    app.state.memento_page = pages.render_memento_html
    memento.install(app)
    resources.install(app, pages.render_resource_html)
    downloads.install(app)
    catalog.install(app)
    changes.install(app)
    crawlers.install(app)
    app.add_exception_handler(405, routing.method_not_allowed)
    app.add_middleware(SecurityHeaders)  # outside the prepared documents: they get them too
    # added last, so outermost: every response gets CORS headers (as the early answers do)
    app.add_middleware(CORSMiddleware, **CORS)
    return app


def app_from_environment() -> FastAPI:
    """The factory ``uvicorn --factory`` and each worker process call: settings from MAILLAGE_*.

    An app that cannot be built (assets missing, a release it cannot read) would fail the same
    way in every worker: the worker says why and exits with uvicorn's start-up failure, on which
    the supervisor stops the server, instead of replacing the worker forever."""
    try:
        return create_app(Settings.from_env())
    except Exception:
        logging.getLogger("uvicorn.error").exception("maillage: the HTTP worker cannot start")
        sys.exit(STARTUP_FAILURE)
