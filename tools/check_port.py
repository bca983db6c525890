"""Stops `make lab` with one clear line when its port is taken (e.g. by another JupyterLab)."""
import socket
import sys

port = int(sys.argv[1])
with socket.socket() as s:
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        sys.exit(f"Port {port} is already in use (another JupyterLab?). Stop it, or run: make lab PORT={port + 1}")
