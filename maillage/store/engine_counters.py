"""RocksDB's performance counters, turned off in the threads that run queries.

At its default level (``kEnableCount``) RocksDB counts, per thread, what each read does (its
``perf_context``: blocks read, keys compared…). Nothing of ours reads those counts, and in
pyoxigraph they are not free: the library is loaded by ``dlopen``, so each access to one of
RocksDB's thread-local variables is a call to ``__tls_get_addr`` (the ``oxigraph`` program reaches
them with one instruction). Counted with callgrind, q06 of the benchmark makes about 2.2 million
such calls, 5 % of its instructions; with the counters off, half of them go, and the heavy queries
of the mix take about 8 % less time (docs/performance.md, « RocksDB's counters »).

RocksDB's ``SetPerfLevel(kDisable)`` turns them off for the calling thread. pyoxigraph does not
expose it, so it is found by its name in the symbol table (ELF ``.symtab``) of the very library
file this process has loaded, checked to be a function inside that library, and called through
ctypes. Where it cannot be found (a stripped or different build), nothing changes, said once:
queries are answered as before, with the counters on.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import mmap
import struct
import sys
import threading
from pathlib import Path

import pyoxigraph  # noqa: F401  (its extension module is the library searched)

SET_PERF_LEVEL = b"_ZN7rocksdb12SetPerfLevelENS_9PerfLevelE"
"""``rocksdb::SetPerfLevel(rocksdb::PerfLevel)``, as its symbol is named."""
GET_PERF_LEVEL = b"_ZN7rocksdb12GetPerfLevelEv"
"""``rocksdb::GetPerfLevel()``: what the tests read back."""
K_DISABLE = 1
"""``rocksdb::PerfLevel::kDisable`` (``include/rocksdb/perf_level.h``: kUninitialized = 0)."""
EXTENSION = "pyoxigraph.pyoxigraph"
EXPORTED = "PyInit_pyoxigraph"
"""A symbol the extension exports: its address tells where the library is loaded."""

SHT_SYMTAB = 2
STT_FUNC = 2
SYMBOL_SIZE = 24
"""An ``Elf64_Sym``: name (4 bytes), info, other, section index (2), value (8), size (8)."""

_done = threading.local()


def turn_off_in_this_thread() -> bool:
    """Turn RocksDB's counters off for the calling thread (once; later calls cost an attribute
    read); whether they are off."""
    off = getattr(_done, "off", None)
    if off is None:
        functions = _functions()
        if functions is not None:
            functions[0](K_DISABLE)
        off = _done.off = functions is not None
    return off


def level_of_this_thread() -> int | None:
    """RocksDB's performance level in the calling thread; None where it cannot be read."""
    functions = _functions()
    return None if functions is None else functions[1]()


class _Dladdr(ctypes.Structure):
    _fields_ = [
        ("dli_fname", ctypes.c_char_p),
        ("dli_fbase", ctypes.c_void_p),
        ("dli_sname", ctypes.c_char_p),
        ("dli_saddr", ctypes.c_void_p),
    ]


@functools.cache
def _functions() -> tuple | None:
    """``SetPerfLevel`` and ``GetPerfLevel`` of the loaded library, or None (said once)."""
    try:
        return _find()
    except (OSError, ValueError, AttributeError, KeyError) as error:  # KeyError: no extension
        logging.getLogger(__name__).warning(
            "SPARQL: RocksDB's performance counters stay on (%s); queries run as before", error
        )
        return None


def _find() -> tuple:
    path = Path(sys.modules[EXTENSION].__file__).resolve()
    exported = ctypes.cast(getattr(ctypes.CDLL(str(path)), EXPORTED), ctypes.c_void_p).value
    base = _load_base(exported, path)
    symbols = _local_functions(path, (SET_PERF_LEVEL, GET_PERF_LEVEL))
    found = []
    for name, restype, argtypes in (
        (SET_PERF_LEVEL, None, [ctypes.c_int]),
        (GET_PERF_LEVEL, ctypes.c_int, []),
    ):
        address = base + symbols[name]
        _load_base(address, path)  # the function found lies inside that same library
        found.append(ctypes.CFUNCTYPE(restype, *argtypes)(address))
    return tuple(found)


def _load_base(address: int, path: Path) -> int:
    """The load address of the library holding ``address`` (``dladdr``), which must be
    ``path``; ValueError otherwise."""
    info = _Dladdr()
    if not ctypes.CDLL(None).dladdr(ctypes.c_void_p(address), ctypes.byref(info)):
        raise ValueError(f"dladdr does not know the address {address:#x}")
    if Path(info.dli_fname.decode()).resolve() != path:
        raise ValueError(f"the address {address:#x} is not inside {path.name}")
    return info.dli_fbase


def _local_functions(path: Path, names: tuple[bytes, ...]) -> dict[bytes, int]:
    """The value (offset from the load address) of each named function in the ELF64
    little-endian symbol table of ``path``; ValueError for one that is missing."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:6] != b"\x7fELF\x02\x01":
            raise ValueError(f"{path.name} is not a 64-bit little-endian ELF file")
        (section_table,) = struct.unpack_from("<Q", data, 0x28)
        entry_size, count = struct.unpack_from("<HH", data, 0x3A)
        sections = [
            struct.unpack_from("<IIQQQQIIQQ", data, section_table + i * entry_size)
            for i in range(count)
        ]
        tables = [s for s in sections if s[1] == SHT_SYMTAB]
        if not tables:
            raise ValueError(f"{path.name} has no symbol table (stripped)")
        table = tables[0]
        strings = sections[table[6]]
        found = {name: _value(data, table, strings, name) for name in names}
    missing = [name.decode() for name, value in found.items() if value is None]
    if missing:
        raise ValueError(f"{path.name} has no function {', '.join(missing)}")
    return found


def _value(data, table: tuple, strings: tuple, name: bytes) -> int | None:
    """The value of function ``name`` in symbol ``table`` (a section header: its offset and size
    are fields 4 and 5), whose names are in section ``strings``; None if it has none."""
    start, size = table[4], table[5]
    at = data.find(b"\0" + name + b"\0", strings[4], strings[4] + strings[5])
    if at < 0:
        return None
    key = struct.pack("<I", at + 1 - strings[4])
    place = data.find(key, start, start + size)
    while place >= 0:
        if (place - start) % SYMBOL_SIZE == 0:
            _, info, _, section, value, length = struct.unpack_from("<IBBHQQ", data, place)
            if info & 0xF == STT_FUNC and section and value and length:
                return value
        place = data.find(key, place + 1, start + size)
    return None
