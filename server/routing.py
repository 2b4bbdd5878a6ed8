"""GET routes that answer HEAD too, with one OpenAPI operation each; and the ``Allow`` header
of a 405, which names every method the path answers.

FastAPI does not add HEAD to a GET route, and a route declared with both methods gets the same
operation id twice (a warning, an error under the tests' ``filterwarnings``); so HEAD is a
second route, left out of the schema. Starlette's 405 names the methods of the first route
whose path matches (``Allow: HEAD`` for ``PUT /sparql``, ``Allow: POST`` for ``GET``-and-``POST``
``/reconcile``): :func:`method_not_allowed` names them all (RFC 9110 §15.5.6).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Match

from server.site import error_page


def get_and_head(router: APIRouter, path: str, endpoint: Callable, **options) -> None:
    router.add_api_route(path, endpoint, methods=["GET"], **options)
    router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **options)


def get(router: APIRouter, path: str, **options) -> Callable[[Callable], Callable]:
    """Decorator form of :func:`get_and_head`."""

    def register(endpoint: Callable) -> Callable:
        get_and_head(router, path, endpoint, **options)
        return endpoint

    return register


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route answers at the request's path."""
    methods: set[str] = set()
    for route in every_route(app):
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route_methods
    return sorted(methods)


def every_route(app: FastAPI) -> list[BaseRoute]:
    """The app's routes, those of the routers it includes among them (our routers have no
    prefix: a route's own path is the one it answers)."""
    return [context.original_route for context in iter_route_contexts(app.routes)]


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 with ``Allow`` naming every method of the path, as the other errors are written."""
    assert isinstance(exc, HTTPException)
    allow = ", ".join(allowed_methods(request.app, request))
    exc.headers = {**(exc.headers or {}), "Allow": allow}
    return await error_page(request, exc)
