"""RocksDB's performance counters, turned off per thread through pyoxigraph's own library
(``maillage.store.engine_counters``): found by name, really called, and harmless when absent."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from maillage.store import engine_counters

K_ENABLE_COUNT = 2
"""RocksDB's default level: what a thread starts with."""


def in_a_new_thread(function):
    found = []
    thread = threading.Thread(target=lambda: found.append(function()))
    thread.start()
    thread.join()
    return found[0]


def test_the_counters_go_off_in_the_calling_thread_only():
    def turn_off() -> tuple:
        before = engine_counters.level_of_this_thread()
        off = engine_counters.turn_off_in_this_thread()
        return before, off, engine_counters.level_of_this_thread()

    assert in_a_new_thread(turn_off) == (K_ENABLE_COUNT, True, engine_counters.K_DISABLE)
    assert in_a_new_thread(engine_counters.level_of_this_thread) == K_ENABLE_COUNT


def test_queries_answer_the_same_with_the_counters_off(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
    query = "SELECT ?o WHERE { ?s ?p ?o }"

    def answer() -> list[str]:
        return [row["o"].value for row in store.query(query)]

    on = in_a_new_thread(answer)
    off = in_a_new_thread(lambda: (engine_counters.turn_off_in_this_thread(), answer())[1])
    assert on == off == ["x"]


def test_a_library_without_the_function_leaves_the_counters_on(monkeypatch, caplog):
    monkeypatch.setattr(engine_counters, "SET_PERF_LEVEL", b"_ZN7rocksdb9NoSuchFunctionEv")
    engine_counters._functions.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=engine_counters.__name__):
            assert in_a_new_thread(engine_counters.turn_off_in_this_thread) is False
        assert "has no function _ZN7rocksdb9NoSuchFunctionEv" in caplog.text
    finally:
        monkeypatch.undo()
        engine_counters._functions.cache_clear()
    assert in_a_new_thread(engine_counters.turn_off_in_this_thread) is True


def test_a_stripped_library_is_refused_by_name(tmp_path):
    stripped = tmp_path / "stripped.so"
    shutil.copy(engine_counters.sys.modules[engine_counters.EXTENSION].__file__, stripped)
    strip = shutil.which("strip")
    if strip is None:
        pytest.skip("binutils' strip is not installed")
    subprocess.run([strip, str(stripped)], check=True)
    with pytest.raises(ValueError, match="no symbol table"):
        engine_counters._local_functions(Path(stripped), (engine_counters.SET_PERF_LEVEL,))
