"""The alternated SPARQL mix of the overhead stage (bench.overhead), without a server: how long
its runs are (``mix_runs``, from the first run's requests and seconds), and what rate the runs
make, wrk stood in for by the count a client completes at a given latency."""

from __future__ import annotations

import math

import pytest

from bench import load, measure, overhead
from bench.overhead import MIX_BUDGET, MIX_REQUESTS_PER_CLIENT, MIX_ROUNDS, MIX_S, mix_runs

SECONDS = MIX_S  # make bench's seconds of the mix on each server at each client count
PROBE_S = 4  # its first run: 40 s in MIX_ROUNDS


@pytest.mark.parametrize(
    ("clients", "requests"),
    [(1, 404), (8, 872), (32, 870), (32, MIX_REQUESTS_PER_CLIENT * 32)],
    ids=["100k-1", "100k-8", "100k-32", "just-enough"],
)
def test_at_low_latency_the_runs_stay_as_they_were(clients, requests):
    """The 100k rates of the run of 2026-12-06 (101–218 req/s): ten runs of seconds / 10."""
    assert mix_runs(clients, requests, PROBE_S, SECONDS, MIX_ROUNDS) == (MIX_ROUNDS - 1, PROBE_S)


def test_the_smoke_keeps_its_one_short_run_however_slow():
    assert mix_runs(32, 3, 1, 1.0, 1) == (0, 1)


@pytest.mark.parametrize(
    ("clients", "requests"), [(32, 42), (32, 32), (8, 48), (32, 100), (32, 255)], ids=str
)
def test_at_high_latency_each_client_completes_enough_within_the_cap(clients, requests):
    """1M at 32 clients: 21 req/s, under three requests a client in a 4 s run."""
    count, length = mix_runs(clients, requests, PROBE_S, SECONDS, MIX_ROUNDS)
    latency = PROBE_S * clients / requests  # the probe's, an upper bound
    assert isinstance(length, int) and length > PROBE_S
    assert length / latency >= MIX_REQUESTS_PER_CLIENT
    assert 1 <= count <= MIX_ROUNDS - 1
    assert PROBE_S + count * length <= MIX_BUDGET * SECONDS
    assert PROBE_S + (count + 1) * length > MIX_BUDGET * SECONDS or count == MIX_ROUNDS - 1


def test_the_1m_32_client_figure_gets_nine_more_runs_of_13_seconds():
    assert mix_runs(32, 84, PROBE_S, SECONDS, MIX_ROUNDS) == (9, 13)  # 21 req/s
    assert mix_runs(8, 96, PROBE_S, SECONDS, MIX_ROUNDS) == (9, PROBE_S)  # 1M, 8 clients


@pytest.mark.parametrize("requests", [0, 4], ids=["none-completed", "too-slow-for-the-cap"])
def test_past_the_cap_one_run_takes_what_is_left(requests):
    rest = MIX_BUDGET * SECONDS - PROBE_S
    assert mix_runs(32, requests, PROBE_S, SECONDS, MIX_ROUNDS) == (1, rest)


OURS = "http://ours"


class FakeEngine:
    def __init__(self, name: str, latency_s: float):
        self.url, self.latency_s = f"http://{name}", latency_s

    def sparql_path(self, query: str) -> str:
        return f"/sparql?query={query}"


def test_the_rate_is_the_requests_of_all_runs_over_their_seconds(monkeypatch, tmp_path):
    """Both servers run alike: the same lengths, the probe's count in the sum; an error in one
    run makes that server's figure None."""
    started = {"maillage": FakeEngine("ours", 1.5), "oxigraph": FakeEngine("raw", 1.4)}
    latency = {engine.url: engine.latency_s for engine in started.values()}
    runs = []

    def throughput(url, paths, accept, clients, seconds, workdir):
        runs.append((url, clients, seconds))
        done = clients * math.floor(seconds / latency[url]) if clients == 32 else 100 * seconds
        errors = int(runs.count((url, clients, seconds)) == 2 and (url, clients) == (OURS, 8))
        return load.Throughput(clients, done, done / seconds, 1.0, 2.0, errors)

    monkeypatch.setattr(load, "throughput", throughput)
    monkeypatch.setattr(measure, "wait_until_idle", lambda engine, budget: None)
    rates, lengths = overhead._mix(started, ["ASK {}"], 10.0, tmp_path, rounds=5)
    # 10 s in 5 runs; one request a client in the 2 s probe: 16 s runs, two of them within the
    # 40 s cap
    assert lengths == {"1": [2] * 5, "8": [2] * 5, "32": [2, 16, 16]}
    assert [run[2] for run in runs if run[1] == 32] == [2, 2, 16, 16, 16, 16]
    assert rates["1"] == {"maillage": 100.0, "oxigraph": 100.0}
    assert rates["8"] == {"maillage": None, "oxigraph": 100.0}  # its second run had an error
    # ours: 1 then 10 requests a client a run, raw Oxigraph: 1 then 11
    assert rates["32"] == {"maillage": 19.8, "oxigraph": 21.6}


def test_the_mix_table_shows_the_seconds_of_the_runs_when_recorded():
    figures = {"queries": {}, "mix": {"32": {"maillage": 19.5, "oxigraph": 20.0}}}
    assert overhead.table(figures).splitlines()[-1] == "| 32 | 19.5 | 20.0 | 0.97 |"
    figures["mix_runs_s"] = {"32": [2, 13, 13]}
    assert overhead.table(figures).splitlines()[-1] == "| 32 | 19.5 | 20.0 | 0.97 | 2, 13, 13 |"
