"""Scale-out (``bench/scaleout.py``): two replicas of a small release behind Debian's nginx,
real processes, real curl. Through the proxy a resource answers with the replica's bytes and
ETag; what our Cache-Control allows is a cache HIT the second time; If-None-Match gets 304, a
range 206; uncached requests reach both replicas; Accept variants are kept apart; past max-age
the cache revalidates with a conditional request; with one replica down the service answers.

nginx missing is a failure, not a skip: ``make tools`` installs it."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest
from curl_client import Reply, curl
from mini_release import ALPHA, BETA, write_release

from maillage.settings import REPO_ROOT

if str(REPO_ROOT) not in sys.path:  # `bench/` is scripts, not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from bench import scaleout

MAX_AGE_S = 5
"""Short, so a test can watch an entry expire and be revalidated."""
ACCEPTS = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "text/html": "html",
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")
    write_release(var_dir)
    env = {"MAILLAGE_CACHE_MAX_AGE_S": str(MAX_AGE_S), "MAILLAGE_ACCESS_LOG": "true"}
    with scaleout.start(var_dir, settings_env=env, access_log=True) as running:
        yield running


def path_of(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/maillage/")


def cache_status(reply: Reply) -> str | None:
    return reply.header("x-cache-status")


def replica_lines(cluster, path: str) -> list[list[str]]:
    """Each replica's access-log lines for GET ``path`` (uvicorn writes `"GET path HTTP/1.1" NNN`)."""
    pattern = re.compile(rf'"GET {re.escape(path)} HTTP/1\.1" (\d{{3}})')
    return [
        pattern.findall((cluster.run_dir / f"replica-{i}.log").read_text(errors="replace"))
        for i in range(len(cluster.replicas))
    ]


def test_nginx_missing_is_a_clear_failure(monkeypatch):
    monkeypatch.setattr(scaleout, "NGINX", Path("/nonexistent/nginx"))
    with pytest.raises(scaleout.NginxMissing, match="make tools"):
        scaleout.nginx_binary()


def test_every_path_of_the_configuration_is_under_the_run_directory(tmp_path):
    config = scaleout.render_config(tmp_path, 8080, [9001, 9002], query_timeout_s=30)
    paths = re.findall(r"(?:path|pid|log|_temp_path)\s+(/\S+?);?\s", config)
    assert len(paths) >= 7
    assert all(p.startswith(str(tmp_path)) for p in paths), paths
    assert "proxy_read_timeout 45s;" in config  # above the SPARQL deadline
    assert "server 127.0.0.1:9001" in config and "server 127.0.0.1:9002" in config
    assert "listen 127.0.0.1:8080 " in config


def test_the_proxy_and_replicas_are_running_processes(cluster):
    assert cluster.url.startswith("http://127.0.0.1:")
    assert len(cluster.replica_urls) == 2
    assert set(cluster.pids) == {"nginx", "replica-0", "replica-1"}
    assert all(p.poll() is None for p in [cluster.nginx, *cluster.replicas])


def test_the_303_points_at_the_proxy_and_is_cached(cluster):
    first = curl(cluster.url + path_of(ALPHA))
    again = curl(cluster.url + path_of(ALPHA))
    assert first.status == again.status == 303
    assert (
        first.header("location")
        == again.header("location")
        == cluster.url + path_of(ALPHA) + ".ttl"
    )
    assert (cache_status(first), cache_status(again)) == ("MISS", "HIT")


def test_a_description_has_the_replicas_bytes_and_etag_then_is_a_hit(cluster):
    path = path_of(ALPHA) + ".ttl"
    direct = curl(cluster.replica_urls[1] + path)
    first = curl(cluster.url + path)
    again = curl(cluster.url + path)
    assert direct.status == first.status == again.status == 200
    assert direct.body == first.body == again.body
    assert direct.header("etag") == first.header("etag") == again.header("etag")
    assert first.header("cache-control") == f"public, max-age={MAX_AGE_S}"
    assert (cache_status(first), cache_status(again)) == ("MISS", "HIT")


def test_a_download_has_the_files_bytes_and_etag_then_is_a_hit(cluster):
    name = "maillage-all.nq.gz"
    expected = (cluster_release(cluster) / name).read_bytes()
    direct = curl(cluster.replica_urls[0] + "/downloads/" + name)
    first = curl(cluster.url + "/downloads/" + name)
    again = curl(cluster.url + "/downloads/" + name)
    assert direct.body == first.body == again.body == expected
    etag = f'"{hashlib.sha256(expected).hexdigest()}"'
    assert direct.header("etag") == first.header("etag") == again.header("etag") == etag
    assert (cache_status(first), cache_status(again)) == ("MISS", "HIT")


def cluster_release(cluster) -> Path:
    return cluster.var_dir / "current"


def test_if_none_match_gets_304_from_the_cache(cluster):
    path = path_of(BETA) + ".ttl"
    etag = curl(cluster.url + path).header("etag")
    assert etag
    reply = curl(cluster.url + path, "-H", f"If-None-Match: {etag}")
    assert reply.status == 304
    assert reply.body == b""
    assert reply.header("etag") == etag
    assert cache_status(reply) == "HIT"
    other = curl(cluster.url + path, "-H", 'If-None-Match: "something-else"')
    assert other.status == 200


def test_a_range_request_gets_206_from_a_replica(cluster):
    name = "maillage.ttl"
    expected = (cluster_release(cluster) / name).read_bytes()
    curl(cluster.url + "/downloads/" + name)  # the whole file is now cached
    reply = curl(cluster.url + "/downloads/" + name, "-H", "Range: bytes=10-29")
    assert reply.status == 206
    assert reply.body == expected[10:30]
    assert reply.header("content-range") == f"bytes 10-29/{len(expected)}"
    assert cache_status(reply) == "BYPASS"
    beyond = curl(cluster.url + "/downloads/" + name, "-H", f"Range: bytes={len(expected) + 5}-")
    assert beyond.status == 416
    assert curl(cluster.url + "/downloads/" + name).status == 200  # the range was not stored


def test_uncached_requests_reach_both_replicas(cluster):
    before = [len(lines) for lines in replica_lines(cluster, "/")]
    for _ in range(10):
        reply = curl(cluster.url + "/")
        assert reply.status == 200
        assert cache_status(reply) == "MISS"  # the home page has no Cache-Control
    time.sleep(0.2)  # uvicorn's log reaches the file
    after = [len(lines) for lines in replica_lines(cluster, "/")]
    served = [a - b for a, b in zip(after, before, strict=True)]
    assert sum(served) == 10
    assert min(served) >= 3, served


@pytest.mark.parametrize("accept", sorted(ACCEPTS))
def test_accept_variants_are_not_mixed_up(cluster, accept):
    """Turtle, JSON-LD and HTML of the same IRI, each asked twice in turn: the second round is
    all hits, each with its own Location and its own document."""
    iri_path = path_of(BETA)
    rounds = []
    for _ in range(2):
        rounds.append(
            {
                media: (
                    curl(cluster.url + iri_path, "-H", f"Accept: {media}"),
                    curl(cluster.url + f"{iri_path}.{ext}", "-H", f"Accept: {media}"),
                )
                for media, ext in ACCEPTS.items()
            }
        )
    for see_other, document in (rounds[0][accept], rounds[1][accept]):
        assert see_other.status == 303
        assert see_other.header("location") == f"{cluster.url}{iri_path}.{ACCEPTS[accept]}"
        assert document.header("content-type").split(";")[0] == accept
    assert cache_status(rounds[1][accept][0]) == "HIT"
    assert rounds[0][accept][1].body == rounds[1][accept][1].body


def test_past_max_age_the_cache_revalidates_with_the_etag(cluster):
    path = path_of(ALPHA) + ".nt"
    first = curl(cluster.url + path)
    assert cache_status(first) == "MISS"
    time.sleep(MAX_AGE_S + 1)
    expired = curl(cluster.url + path)
    assert expired.status == 200
    assert expired.body == first.body
    # Served stale while one background request revalidates (proxy_cache_background_update).
    assert cache_status(expired) in ("STALE", "REVALIDATED", "UPDATING")
    deadline = time.monotonic() + 5
    while not any("304" in lines for lines in replica_lines(cluster, path)):
        assert time.monotonic() < deadline, replica_lines(cluster, path)
        time.sleep(0.1)
    assert cache_status(curl(cluster.url + path)) == "HIT"


def test_with_one_replica_down_the_service_answers(cluster):
    """Last in this module: it kills a replica (SIGKILL, as a crash would)."""
    cached = path_of(ALPHA) + ".ttl"
    curl(cluster.url + cached)
    victim = cluster.replicas[0]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    for _ in range(6):
        assert curl(cluster.url + "/").status == 200  # uncached: the live replica answers
        assert curl(cluster.url + "/downloads/manifest.json").status == 200
    assert curl(cluster.url + cached).status == 200
