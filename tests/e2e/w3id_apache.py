"""Debian's Apache httpd as a stand-in for w3id.org: started unprivileged on a free loopback
port with a minimal configuration of its own (everything in one temporary directory), serving
``deploy/w3id/.htaccess`` as ``/maillage/.htaccess`` with its one setting, the server's address,
pointed at a live test server. w3id.org runs the same module (mod_rewrite) on the same file."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from processes import free_port, stop

from maillage.settings import REPO_ROOT

HTACCESS = REPO_ROOT / "deploy" / "w3id" / ".htaccess"
APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
NEEDED_MODULES = {
    "mpm_event_module": "mod_mpm_event.so",
    "authz_core_module": "mod_authz_core.so",
    "rewrite_module": "mod_rewrite.so",
    "headers_module": "mod_headers.so",
}
SERVER_SETTING = re.compile(r"\[E=MAILLAGE_SERVER:([^\]]+)\]")
STARTUP_S = 30


class ApacheMissing(RuntimeError):
    pass


def require_apache() -> None:
    """Fail (not skip) with what to do when Debian's apache2 is not installed."""
    missing = [str(p) for p in [APACHE, *(MODULES / m for m in NEEDED_MODULES.values())]]
    missing = [p for p in missing if not Path(p).exists()]
    if missing:
        raise ApacheMissing(
            f"Debian's apache2 is needed for the w3id redirect test (missing: {', '.join(missing)});"
            " install it with `make tools` (apt-get install apache2-bin: the server and its modules,"
            " without the system service)"
        )


def htaccess_for(server_url: str) -> str:
    """``deploy/w3id/.htaccess`` with its one setting replaced by ``server_url``."""
    text = HTACCESS.read_text()
    found = SERVER_SETTING.findall(text)
    assert len(found) == 1, f"{HTACCESS}: expected one MAILLAGE_SERVER setting, found {found}"
    return SERVER_SETTING.sub(f"[E=MAILLAGE_SERVER:{server_url}]", text)


def _config(root: Path, port: int) -> str:
    modules = "\n".join(f"LoadModule {n} {MODULES / f}" for n, f in NEEDED_MODULES.items())
    # As root (a container), Apache must hand its workers to another user.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    return f"""ServerRoot "{root}"
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
ErrorLog "{root}/error.log"
LogLevel warn
{modules}
{user}DocumentRoot "{root}/htdocs"
<Directory "/">
    AllowOverride None
    Require all denied
</Directory>
<Directory "{root}/htdocs">
    AllowOverride All
    Require all granted
</Directory>
"""


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"apache2 exited ({process.returncode}):\n{_read(log)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"apache2 did not listen in {STARTUP_S} s:\n{_read(log)}")


def _read(log: Path) -> str:
    return log.read_text() if log.exists() else "(no error log)"


@contextlib.contextmanager
def running_w3id(server_url: str) -> Iterator[str]:
    """Apache redirecting ``/maillage/…`` to ``server_url``; yields its ``…/maillage/`` URL."""
    require_apache()
    # Not under pytest's tmp (mode 0700): the workers (``nobody`` when root) read the .htaccess.
    root = Path(tempfile.mkdtemp(prefix="maillage-w3id-"))
    try:
        (root / "htdocs" / "maillage").mkdir(parents=True)
        (root / "htdocs" / "maillage" / ".htaccess").write_text(htaccess_for(server_url))
        for path in [root, root / "htdocs", root / "htdocs" / "maillage"]:
            path.chmod(0o755)
        port = free_port()
        (root / "httpd.conf").write_text(_config(root, port))
        with (root / "error.log").open("ab") as log:
            process = subprocess.Popen(
                [str(APACHE), "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                stdout=log,
                stderr=log,
            )
        try:
            _wait_until_listening(port, process, root / "error.log")
            yield f"http://127.0.0.1:{port}/maillage/"
        finally:
            stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)
