"""GET routes that answer HEAD too, with one OpenAPI operation each.

FastAPI does not add HEAD to a GET route, and a route declared with both methods gets the same
operation id twice (a warning, an error under the tests' ``filterwarnings``); so HEAD is a
second route, left out of the schema.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter


def get_and_head(router: APIRouter, path: str, endpoint: Callable, **options) -> None:
    router.add_api_route(path, endpoint, methods=["GET"], **options)
    router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False, **options)


def get(router: APIRouter, path: str, **options) -> Callable[[Callable], Callable]:
    """Decorator form of :func:`get_and_head`."""

    def register(endpoint: Callable) -> Callable:
        get_and_head(router, path, endpoint, **options)
        return endpoint

    return register
