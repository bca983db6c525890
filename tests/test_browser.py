"""Lesson 04 in a real browser, as a learner uses it.

JupyterLab is started with the command `make lab` runs (read from `make -n lab`), on a free port
of 127.0.0.1 with a random token. Headless Chromium (Debian's package, driven by Playwright)
opens the lesson, checks that the status bar reads "Java | Idle" before anything runs, runs all
cells from the Run menu, reads what the page shows, answers one exercise and gets its tick,
then opens the lesson in the Notebook 7 interface and runs a cell there. Without the token the
server must not show the notebooks.

The server gets a scratch copy of notebooks/ (with lib/ linked beside it), so autosave never
writes outputs or typed answers into the repository, and empty Jupyter config and runtime
folders, so a previous session's workspace or a developer's own settings cannot change what a
new learner sees. Screenshots go to tests/artifacts/browser/ on every run; on failure the page
HTML and the server log join them. The server and its kernels are always stopped, and `ps` must
show none of them afterwards.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from course import nbrun
from course.net import ServerProcess, free_port, until

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
LESSON = "04-gather-vs-sequential.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
TIME_LINE = nbrun.TIME_LINE
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
BARE_VALUE = re.compile(r"^\s*(-?\d+(\.\d+)?([eE]-?\d+)?|PT[\d.]+[HMS].*|true|false|null)\s*$")
KERNEL_START = 150      # seconds for the kernel JVM to start on a busy 2-core machine
RUN_ALL = 150           # seconds for Run All on lesson 04 (about 25 s of waiting on its own)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _require_browser():
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing on CI: install Debian's chromium package (.ci/run does)")
    pytest.skip(f"{CHROMIUM} is missing: `sudo apt-get install chromium` to run the browser test")


# ----------------------------------------------------------------------------------------------
# The server, started as `make lab` starts it


def lab_command(port: int) -> list[str]:
    """The `jupyter lab` command of the Makefile's lab target, as `make -n` prints it."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    dry = subprocess.run(["make", "-s", "-n", "lab", f"PORT={port}"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, env=env)
    lines = dry.stdout.replace("\\\n", " ").splitlines()
    found = [line for line in lines if re.search(r"/bin/jupyter\s+lab\b", line)]
    assert dry.returncode == 0 and len(found) == 1, \
        f"cannot read the jupyter command of `make lab`:\n{dry.stdout}\n{dry.stderr}"
    return shlex.split(found[0])


def leftover_processes(marker: str) -> list[str]:
    """Processes whose command line mentions the marker (the server's scratch folder)."""
    ps = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return [line.strip() for line in ps.splitlines()
            if marker in line and str(os.getpid()) != line.split()[0]]


class LabServer(ServerProcess):
    name = "jupyter lab"

    def __init__(self, scratch: Path):
        super().__init__(scratch / "server.log")
        self.scratch = scratch
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.root = scratch / "course" / "notebooks"

    def start(self):
        shutil.copytree(ROOT / "notebooks", self.root,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        (self.root.parent / "lib").symlink_to(ROOT / "lib")   # the lessons load ../lib/*.jar
        command = lab_command(self.port)
        roots = [i for i, arg in enumerate(command) if arg.startswith("--ServerApp.root_dir=")]
        assert [command[i] for i in roots] == ["--ServerApp.root_dir=notebooks"], command
        command[roots[0]] = f"--ServerApp.root_dir={self.root}"
        command[0] = str(ROOT / command[0])
        command += ["--no-browser", f"--IdentityProvider.token={self.token}",
                    "--LabApp.expose_app_in_browser=True",
                    "--JupyterNotebookApp.expose_app_in_browser=True"]
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(self.scratch / "config"),     # no one's own settings
                   JUPYTER_RUNTIME_DIR=str(self.scratch / "runtime"))   # kernel files in here
        self.start_process(command, 60, cwd=ROOT, env=env)
        return self

    def answers(self) -> bool:
        try:
            with self.get("/api/status", token=True) as answer:
                return answer.status == 200
        except (urllib.error.URLError, ConnectionError):
            return False

    def get(self, path: str, token: bool):
        headers = {"Authorization": f"token {self.token}"} if token else {}
        return urllib.request.urlopen(urllib.request.Request(self.base + path, headers=headers),
                                      timeout=10)

    def stop(self) -> list[str]:
        """Stops the server and its kernels; returns what was still running and had to be killed."""
        if self.process and self.process.poll() is None:
            request = urllib.request.Request(self.base + "/api/shutdown", method="POST",
                                             headers={"Authorization": f"token {self.token}"})
            with contextlib.suppress(OSError):
                urllib.request.urlopen(request, timeout=10).close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=10)
        if self.log:
            self.log.close()
        until(lambda: not leftover_processes(str(self.scratch)), 10, 0.5)   # kernels get the
        left = leftover_processes(str(self.scratch))   # server's shutdown_request first
        for line in left:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(line.split()[0]), signal.SIGKILL)
        return left


# ----------------------------------------------------------------------------------------------
# Evidence: screenshots always, page HTML and the server log when something fails


class Evidence:
    def __init__(self, server: LabServer):
        self.server = server

    def screenshot(self, page, name: str, **options):
        with contextlib.suppress(Exception):
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **options)

    @contextlib.contextmanager
    def on_failure(self, page, name: str):
        """Keeps the page's HTML, a screenshot and the server log if the block fails."""
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                (ARTIFACTS / f"{name}-FAILED.html").write_text(page.content())
            self.screenshot(page, f"{name}-FAILED", full_page=True)
            with contextlib.suppress(Exception):
                shutil.copy(self.server.log_path, ARTIFACTS / "server-FAILED.log")
            raise


# ----------------------------------------------------------------------------------------------
# What the page shows, read through JupyterLab's own objects (window.jupyterapp) and its DOM

CELLS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  return panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const outputs = [...cell.node.querySelectorAll('.jp-OutputArea-child')].map(child => {
      const out = child.querySelector('.jp-OutputArea-output');
      const imgs = out ? [...out.querySelectorAll('img')] : [];
      return {
        mime: out ? out.getAttribute('data-mime-type') : null,
        result: child.classList.contains('jp-OutputArea-executeResult'),
        text: out ? out.textContent : '',
        svg: out ? out.querySelectorAll('svg').length : 0,
        svgImg: imgs.filter(i => (i.getAttribute('src') || '').startsWith('data:image/svg+xml')).length,
      };
    });
    return {
      index, type: model.type, tags: model.getMetadata('tags') || [],
      exercise: model.getMetadata('exercise') || null, source: model.sharedModel.getSource(),
      count: model.type === 'code' ? model.executionCount : null, outputs,
    };
  });
}"""

KERNEL_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return kernel ? {status: kernel.status, connection: kernel.connectionStatus,
                   name: kernel.name} : null;
}"""

# Galata's rule for "Run All is done": every code cell has a count, none is running, kernel idle.
RUN_DONE_JS = """(before) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const code = panel.content.widgets.filter(c => c.model.type === 'code');
  return kernel && kernel.status === 'idle' && code.every((c, i) =>
    c.model.executionCount !== null && c.model.executionCount !== (before[i] ?? null)
    && (c.model.executionState ?? 'idle') !== 'running');
}"""

# Records every text the status bar's kernel item shows, with the time it appeared (ms), and the
# first kernel messages (for a failure report: who made the kernel busy, or left it unknown).
STATUS_RECORDER_JS = """(() => {
  const seen = window.__kernelStatusSeen = [];
  const wire = window.__kernelMessages = [];
  const start = performance.now();
  let hooked = null;
  setInterval(() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session
      && panel.sessionContext.session.kernel;
    if (kernel && kernel !== hooked) {
      hooked = kernel;
      kernel.anyMessage.connect((_, {msg, direction}) => {
        if (wire.length < 400) wire.push([Math.round(performance.now() - start), direction,
          msg.channel, msg.header.msg_type, (msg.parent_header || {}).msg_type || '',
          (msg.header.session || '').slice(0, 8), (msg.content || {}).execution_state || '']);
      });
    }
    const bar = document.querySelector('#jp-main-statusbar');
    const found = bar && bar.innerText.match(/^.* \\| [A-Z][a-z]+( [a-z]+)?$/m);
    const text = found ? found[0] : null;
    if (text && (seen.length === 0 || seen[seen.length - 1][1] !== text)) {
      seen.push([Math.round(performance.now() - start), text]);
    }
  }, 25);
})();"""


def cells(page) -> list[dict]:
    return page.evaluate(CELLS_JS)


def text_of(cell: dict) -> str:
    return "".join(out["text"] for out in cell["outputs"])


def wait_kernel_idle(page, seconds: float):
    page.wait_for_function(f"() => {{ const k = ({KERNEL_JS})(); "
                           "return k && k.connection === 'connected' && k.status === 'idle'; }",
                           timeout=seconds * 1000, polling=100)


def no_popup(page):
    """Nothing covers the notebook: no dialog, no toast (such as the Jupyter news question)."""
    dialogs = page.locator(".jp-Dialog")
    toasts = page.locator(".Toastify__toast")
    assert dialogs.count() == 0, f"a dialog covers the page: {dialogs.first.inner_text()!r}"
    assert toasts.count() == 0, f"a notification pops up: {toasts.first.inner_text()!r}"


def run_menu(page, item: str):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


# ----------------------------------------------------------------------------------------------
# Fixtures: one server and one browser for the module; the lesson opened and run once


@pytest.fixture(scope="module")
def server():
    _require_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.iterdir():     # last run's pictures and failure files
        with contextlib.suppress(OSError):
            old.unlink()
    installed = ROOT / ".venv/etc/jupyter/jupyter_server_config.py"
    assert installed.exists() and installed.read_text() == \
        (ROOT / "tools/jupyter_server_config.py").read_text(), \
        f"{installed} is missing or stale: run `make kernel`"
    with tempfile.TemporaryDirectory(prefix="asynclab-browser-") as scratch:
        lab = LabServer(Path(scratch))
        try:
            try:
                lab.start()
            except BaseException:
                with contextlib.suppress(OSError):
                    shutil.copy(lab.log_path, ARTIFACTS / "server-FAILED.log")
                raise
            yield lab
        finally:
            left = lab.stop()
            if lab.process and lab.process.returncode not in (0, None):
                with contextlib.suppress(OSError):
                    shutil.copy(lab.log_path, ARTIFACTS / "server-FAILED.log")
            assert not left, f"still running after the server stopped (killed now): {left}"
            assert not leftover_processes(scratch), "a server or kernel process survived SIGKILL"


@pytest.fixture(scope="module")
def browser(server):
    """Headless Chromium; Playwright gives it a fresh, temporary --user-data-dir."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def learner(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def evidence(server):
    return Evidence(server)


@pytest.fixture(scope="module")
def lab(server, learner, evidence):
    """The lesson open in JupyterLab, its kernel started; the status bar texts it went through."""
    page = learner.new_page()
    page.add_init_script(STATUS_RECORDER_JS)
    with evidence.on_failure(page, "lab-open"):
        page.goto(f"{server.base}/lab/tree/{LESSON}?token={server.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext",
                               timeout=60_000)
        page.wait_for_function(f"() => {{ const k = ({KERNEL_JS})(); "
                               "return (k && k.connection === 'connected') "
                               "|| document.querySelector('.jp-Dialog'); }",
                               timeout=KERNEL_START * 1000, polling=100)
        no_popup(page)      # e.g. a kernel picker: the lesson's kernelspec was not found
        try:
            wait_kernel_idle(page, 60)  # a busy 2-core machine can keep the first answers busy
        except Exception:
            pass        # the assertion in the test below says what the status bar showed
        page.wait_for_timeout(300)
    yield page


@pytest.fixture(scope="module")
def ran(lab, evidence):
    """Run All Cells from the Run menu, waited for as Galata does; returns the cells read after."""
    page = lab
    with evidence.on_failure(page, "run-all"):
        wait_kernel_idle(page, 60)
        before = [c["count"] for c in cells(page) if c["type"] == "code"]
        started = time.monotonic()
        run_menu(page, "Run All Cells")
        page.wait_for_function(RUN_DONE_JS, arg=before, timeout=RUN_ALL * 1000, polling=250)
        seconds = time.monotonic() - started
        page.wait_for_timeout(500)      # let the last outputs render
        evidence.screenshot(page, "2-after-run-all")
        print(f"Run All took {seconds:.1f} s in the browser")
    return page


# ----------------------------------------------------------------------------------------------
# The tests


def test_without_the_token_the_notebooks_stay_closed(server, browser):
    stranger = browser.new_context()        # no token, no cookie
    try:
        request = stranger.request
        for path in ("/api/contents", f"/api/contents/{LESSON}", "/api/sessions", "/api/kernels"):
            answer = request.get(server.base + path, max_redirects=0)
            assert answer.status == 403, f"{path} answered {answer.status} without the token"
        wrong = request.get(f"{server.base}/api/contents?token={'0' * 48}", max_redirects=0)
        assert wrong.status == 403, f"a wrong token got {wrong.status}"
        for path in ("/lab", f"/lab/tree/{LESSON}", "/tree", f"/notebooks/{LESSON}"):
            answer = request.get(server.base + path, max_redirects=0)
            assert answer.status in (301, 302, 303, 307), f"{path} answered {answer.status}"
            assert "/login" in answer.headers.get("location", ""), answer.headers
        page = stranger.new_page()
        page.goto(f"{server.base}/lab/tree/{LESSON}")
        assert "/login" in page.url, page.url
        assert page.locator("input[type=password]").count() >= 1, "no login form"
        assert page.locator(".jp-Notebook").count() == 0, "a notebook shows without the token"
    finally:
        stranger.close()


def test_the_status_bar_shows_java_idle_before_anything_runs(lab, evidence, server):
    page = lab
    with evidence.on_failure(page, "lab-idle"):
        seen = page.evaluate("() => window.__kernelStatusSeen")
        kernel = page.evaluate(KERNEL_JS)
        assert kernel and kernel["name"] == "java", kernel
        # a late kernel_info_request from the server flickers the bar Busy for a few ms: poll
        bar = page.locator("#jp-main-statusbar").inner_text()
        for _ in range(100):
            if re.search(r"^Java \| Idle$", bar, re.M):
                break
            page.wait_for_timeout(100)
            bar = page.locator("#jp-main-statusbar").inner_text()
        wire = "\n".join(map(str, page.evaluate("() => window.__kernelMessages")))
        assert re.search(r"^Java \| Idle$", bar, re.M), (
            f"status bar: {bar!r}; it went through {seen}. 'Unknown' here is the JJava/JupyterLab "
            "status bug: is .venv/etc/jupyter/jupyter_server_config.py installed? "
            f"(docs/upstream/jjava-kernel-status.md)\nkernel messages:\n{wire}")
        assert all(c["count"] is None for c in cells(page) if c["type"] == "code"), "something ran"
        unknown = [(t, next_t) for (t, text), (next_t, _) in zip(seen, seen[1:] + [[None, None]])
                   if text.endswith("| Unknown")]
        shown = sum((end if end is not None else t + 10_000) - t for t, end in unknown)
        print(f"status bar went through {seen}\nkernel messages:\n{wire}")
        assert shown <= 1500, f"'Unknown' showed for {shown} ms: {seen}\nkernel messages:\n{wire}"
        no_popup(page)
        evidence.screenshot(page, "1-lab-kernel-idle")


def test_the_news_question_is_switched_off_for_the_course(server):
    with server.get("/lab/api/settings/@jupyterlab/apputils-extension:notification", True) as r:
        schema = json.load(r)["schema"]["properties"]
    assert schema["fetchNews"]["default"] == "false", "tools/jupyterlab-overrides.json not applied"
    assert schema["checkForUpdates"]["default"] is False


def test_run_all_shows_the_three_timings_and_the_timeline(ran, evidence):
    page = ran
    with evidence.on_failure(page, "run-all-read"):
        read = cells(page)
        code = [c for c in read if c["type"] == "code"]
        errors = [(c["index"], text_of(c)[:300]) for c in code for out in c["outputs"]
                  if out["mime"] == "application/vnd.jupyter.stderr"]
        assert not errors, f"error output under cells: {errors}"

        app = [c for c in code if "app" in c["tags"]]
        assert len(app) == 1, "exactly one cell is tagged app"
        lines = [line for line in text_of(app[0]).splitlines() if line.strip()]
        assert len(lines) == 3 and all(TIME_LINE.fullmatch(line) for line in lines), \
            f"the app cell shows {lines!r}, not three `Execution time` lines"
        gathered, tasks, sequential = (float(TIME_LINE.fullmatch(line).group(1)) for line in lines)
        print(f"app(): {gathered:.2f} / {tasks:.2f} / {sequential:.2f} s")
        assert 0.99 <= gathered <= 1.9 and 0.99 <= tasks <= 1.9, lines
        assert 1.99 <= sequential <= 3.5, lines

        drawn = [c for c in code if any(o["svg"] or o["svgImg"] for o in c["outputs"])]
        assert drawn, "no timeline picture (inline <svg> or SVG <img>) in any output"
        picture = page.locator(".jp-Notebook .jp-Cell").nth(drawn[-1]["index"]) \
            .locator(".jp-OutputArea-output svg, .jp-OutputArea-output img").first
        picture.scroll_into_view_if_needed()
        box = picture.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 60, f"the timeline is drawn {box}"
        evidence.screenshot(page, "3-timeline")

        for c in code:          # a display id or a helper's return value is noise to a learner
            results = [o["text"] for o in c["outputs"] if o["result"]]
            ids = [o["text"] for o in c["outputs"] if UUID.search(o["text"])]
            assert not ids, f"cell {c['index']} ({c['source'][:50]!r}) shows a display id: {ids}"
            times_or_draws = TIME_LINE.search(text_of(c)) or any(o["svg"] or o["svgImg"]
                                                                 for o in c["outputs"])
            if times_or_draws:
                assert not results, \
                    f"cell {c['index']} ({c['source'][:50]!r}) times or draws, and shows {results}"
            assert not [r for r in results if BARE_VALUE.match(r)], \
                f"cell {c['index']} ({c['source'][:50]!r}) shows a bare value: {results}"
        no_popup(page)


def test_a_right_answer_to_an_exercise_gets_a_tick(ran, server, evidence):
    page = ran
    with evidence.on_failure(page, "exercise"):
        solutions = nbformat.read(server.root / "solutions" / LESSON, as_version=4)
        answers = {c.metadata.get("exercise"): c.source for c in solutions.cells
                   if "exercise" in c.metadata.get("tags", [])}
        read = cells(page)
        stub = next(c for c in read if "exercise" in c["tags"] and c["exercise"] in answers)
        check = next(c for c in read if "check" in c["tags"] and c["exercise"] == stub["exercise"]
                     and c["index"] > stub["index"])
        assert "✘" in text_of(check), f"the stub's check should fail first: {text_of(check)!r}"

        editor = page.locator(".jp-Notebook .jp-Cell").nth(stub["index"]).locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(answers[stub["exercise"]])      # as a paste: no auto-brackets
        typed = cells(page)[stub["index"]]["source"]
        assert typed == answers[stub["exercise"]], f"the editor holds {typed!r}"
        page.keyboard.press("Shift+Enter")      # runs the answer, moves to the check
        page.keyboard.press("Shift+Enter")      # runs the check
        counts = (stub["count"], check["count"])
        page.wait_for_function(
            """([i, j, before]) => { const w = window.jupyterapp.shell.currentWidget;
                const k = w.sessionContext.session.kernel; const cs = w.content.widgets;
                return k.status === 'idle' && cs[i].model.executionCount > before[0]
                  && cs[j].model.executionCount > before[1]; }""",
            arg=[stub["index"], check["index"], counts], timeout=60_000, polling=250)
        page.wait_for_timeout(300)
        after = cells(page)
        verdict = text_of(after[check["index"]])
        assert not any(o["mime"] == "application/vnd.jupyter.stderr"
                       for o in after[stub["index"]]["outputs"]), text_of(after[stub["index"]])
        assert "✔" in verdict and "✘" not in verdict, f"the check says {verdict!r}"
        page.locator(".jp-Notebook .jp-Cell").nth(check["index"]).scroll_into_view_if_needed()
        evidence.screenshot(page, "4-exercise-ticked")


def test_the_lesson_opens_and_runs_in_notebook_7(ran, server, learner, evidence):
    ran.close()     # the learner switches interface; the kernel stays, as the session does
    page = learner.new_page()
    with evidence.on_failure(page, "notebook7"):
        page.goto(f"{server.base}/tree")
        entry = page.locator(".jp-DirListing-item", has_text=LESSON.removesuffix(".ipynb"))
        with learner.expect_page(timeout=30_000) as opened:
            entry.dblclick()
        page = opened.value
        page.wait_for_load_state()
        assert f"/notebooks/{LESSON}" in page.url, page.url
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext",
                               timeout=60_000)
        wait_kernel_idle(page, 60)
        read = cells(page)
        setup = next(c for c in read if "setup" in c["tags"])
        target = next(c for c in read if c["index"] > setup["index"] and c["type"] == "code"
                      and "time(" in c["source"])
        page.locator(".jp-Notebook .jp-Cell").nth(0).locator(".jp-InputPrompt").click()
        page.keyboard.press("Escape")
        for _ in range(target["index"] + 1):    # Shift+Enter from the top down to the timed cell
            page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            """(i) => { const w = window.jupyterapp.shell.currentWidget;
                return w.sessionContext.session.kernel.status === 'idle'
                  && w.content.widgets[i].model.executionCount !== null; }""",
            arg=target["index"], timeout=60_000, polling=250)
        page.wait_for_timeout(300)
        shown = text_of(cells(page)[target["index"]])
        assert TIME_LINE.search(shown), f"Notebook 7 shows {shown!r} under the timed cell"
        no_popup(page)
        page.locator(".jp-Notebook .jp-Cell").nth(target["index"]).scroll_into_view_if_needed()
        evidence.screenshot(page, "5-notebook7")
