"""Stops `make lab` with one clear line when its port is taken (e.g. by another JupyterLab)."""
import sys

from course.net import port_free

port = int(sys.argv[1])
if not port_free(port):
    sys.exit(f"Port {port} is already in use (another JupyterLab?). Stop it, or run: make lab PORT={port + 1}")
