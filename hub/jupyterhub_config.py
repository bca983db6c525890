# JupyterHub for a class on one machine: started by `make hub` (hub/launch.py), which checks the
# roster, the port and the proxy first and passes what it found in HUB_* variables.
#
# - Listens on 127.0.0.1:$HUB_PORT only; the proxy is configurable-http-proxy from npm.
# - Sign-in: the learners named in the roster, each with their own password and API token
#   (hub/state/secrets.json, generated once by course/roster.py, git-ignored).
# - Each learner's server runs in hub/state/home/NAME with their own copy of the lessons, copied
#   at their first start and never overwritten, so their work survives server and hub restarts.
# - Every kernel JVM gets -Xmx$KERNEL_HEAP (default below); idle servers are stopped after
#   $HUB_CULL_TIMEOUT seconds by jupyterhub-idle-culler, run by the hub as a service.
#
# What one machine cannot give: the servers run as the operating-system user who ran `make hub`
# (SimpleLocalProcessSpawner), so the hub keeps each learner out of the others' servers and file
# browsers, but code run in a kernel can read any file that user can. Terminals are off for that
# reason. For isolation between learners use one Unix account each (LocalProcessSpawner, as root)
# or containers (hub/z2jh-config.yaml): docs/teaching.md.
import json
import os
import pathlib
import shutil
import sys

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Dict

from course import paths, roster

STATE = roster.STATE
HOMES = STATE / "home"
VENV_BIN = pathlib.Path(sys.executable).parent
PORT = int(os.environ.get("HUB_PORT", "8888"))
KERNEL_HEAP = os.environ.get("KERNEL_HEAP", "512m")
CULL_TIMEOUT = int(os.environ.get("HUB_CULL_TIMEOUT", "3600"))
NAMES = roster.read(pathlib.Path(os.environ.get("HUB_ROSTER", roster.default_roster())))
LEARNERS = roster.secrets_for(NAMES, STATE)


class RosterAuthenticator(Authenticator):
    """Signs in the roster's learners with their own generated password; nobody else."""

    passwords = Dict(help="name -> password").tag(config=True)

    async def authenticate(self, handler, data):
        import hmac
        name, given = data.get("username", ""), data.get("password", "")
        expected = self.passwords.get(name)
        if expected is not None and hmac.compare_digest(expected.encode(), given.encode()):
            return name
        return None


def copy_lessons(spawner):
    """First start: the lessons into the learner's home. Later starts: only the jars again."""
    home = pathlib.Path(spawner.home_dir)
    lessons = home / "notebooks"
    if not lessons.exists():
        staging = home / ".notebooks-copying"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for lesson in paths.lessons():
            shutil.copy2(lesson, staging / lesson.name)
        staging.rename(lessons)   # all or nothing: a half copy is never taken for the learner's work
    jars = home / "lib"   # the notebooks' setup cell loads ../lib/*.jar
    jars.mkdir(exist_ok=True)
    for jar in paths.jars():
        target = jars / jar.name
        if not target.exists() or target.stat().st_mtime < jar.stat().st_mtime:
            shutil.copy2(jar, target)


c = get_config()  # noqa: F821 (provided by traitlets)

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [os.environ.get("HUB_PROXY_COMMAND", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = RosterAuthenticator
c.RosterAuthenticator.passwords = {name: s["password"] for name, s in LEARNERS.items()}
c.Authenticator.allowed_users = set(NAMES)
c.JupyterHub.api_tokens = {s["token"]: name for name, s in LEARNERS.items()}

c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.pre_spawn_hook = copy_lessons
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = str(HOMES / "{username}")
c.Spawner.default_url = "/lab/tree/notebooks/00-start-here.ipynb"
c.Spawner.args = ["--ServerApp.terminals_enabled=False"] + (["--allow-root"] if os.geteuid() == 0 else [])
c.Spawner.environment = {
    "JDK_JAVA_OPTIONS": f"-Xmx{KERNEL_HEAP}",   # read by every `java` the server starts: the kernels
    "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
    # No warm spare kernel per learner (kernel/python/asynclab_kernel): an idle spare JVM holds
    # about as much memory as an idle kernel (bench/results.md), which 30 learners cannot spare in
    # 24 GiB. HUB_SPARE_KERNELS=1 turns spares on where memory allows.
    "ASYNCLAB_SPARE_KERNELS": os.environ.get("HUB_SPARE_KERNELS", "0"),
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_TIMEOUT}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
