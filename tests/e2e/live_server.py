"""Run the real server (uvicorn) on a free port for the end-to-end tests; prints the port.

Usage: python tests/e2e/live_server.py VAR_DIR
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from maillage.settings import Settings
from server.app import create_app


def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings(var_dir=Path(sys.argv[1]), port=port, query_workers=1)
    app = create_app(settings)
    print(port, flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


if __name__ == "__main__":
    main()
