"""Fixtures of the remote-engine tests: the release built from the repository (``built``, from
``tests/conftest.py``), the two remote stores loaded from its dump, and our server over each of
them and over the embedded store (TestClient)."""

from __future__ import annotations

import pytest
from remote_servers import (
    VIRTUOSO_DEFAULT_GRAPH,
    client,
    oxigraph_server,
    virtuoso_server,
)


@pytest.fixture(scope="session")
def oxigraph_url(release, tmp_path_factory):
    with oxigraph_server(release, tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(scope="session")
def virtuoso_url(release, tmp_path_factory):
    with virtuoso_server(release, tmp_path_factory.mktemp("virtuoso")) as url:
        yield url


@pytest.fixture(scope="session")
def embedded(built):
    with client(built[0]) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def via_oxigraph(built, oxigraph_url):
    with client(built[0], sparql_endpoint=oxigraph_url) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def via_virtuoso(built, virtuoso_url):
    changes = {
        "sparql_endpoint": virtuoso_url,
        "sparql_endpoint_default_graph": VIRTUOSO_DEFAULT_GRAPH,
    }
    with client(built[0], **changes) as test_client:
        yield test_client


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request):
    return request.param, request.getfixturevalue(f"via_{request.param}")
