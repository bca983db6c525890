"""Late output in a real browser: what threads print after their cell ended shows under that cell.

Uses tests/test_browser.py's server, browser and page helpers (JupyterLab started as `make lab`
starts it, headless Chromium). A notebook written into the server's scratch copy of notebooks/
starts a thread that prints a second after its cell ended, one that prints while the next cell
runs, and a task given to `execute` that throws; after Run All the page must show each text under
the cell that started it, and nothing of it under the cell that ran meanwhile.
"""
import time

import nbformat
import pytest

from test_browser import (KERNEL_JS, RUN_DONE_JS, browser, cells, evidence, learner,  # noqa: F401
                          run_menu, server, text_of, wait_kernel_idle)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NOTEBOOK = "late-output.ipynb"
SLEEP = "try { Thread.sleep({ms}); } catch (InterruptedException e) { return; }"
CELLS = [
    "Thread.ofVirtual().start(() -> { " + SLEEP.replace("{ms}", "1000")
    + ' System.out.println("late: one second after its cell"); });',
    "new Thread(() -> { " + SLEEP.replace("{ms}", "500")
    + ' System.out.println("printed while the next cell runs"); }).start();',
    'Thread.sleep(2000);\nSystem.out.println("the next cell\'s own line");',
    "var solo = java.util.concurrent.Executors.newSingleThreadExecutor();\n"
    "solo.execute(() -> { " + SLEEP.replace("{ms}", "300")
    + ' throw new IllegalStateException("the errand failed"); });\nsolo.shutdown();',
]


def test_late_output_shows_under_the_cell_that_started_it(server, learner, evidence):  # noqa: F811
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "java", "display_name": "Java", "language": "java"}
    nbformat.write(nb, server.root / NOTEBOOK)
    page = learner.new_page()
    with evidence.on_failure(page, "late-output"):
        page.goto(f"{server.base}/lab/tree/{NOTEBOOK}?token={server.token}")
        page.wait_for_function(f"() => {{ const k = ({KERNEL_JS})(); return k && k.connection === 'connected'; }}",
                               timeout=150_000, polling=100)
        wait_kernel_idle(page, 60)
        before = [c["count"] for c in cells(page) if c["type"] == "code"]
        run_menu(page, "Run All Cells")
        page.wait_for_function(RUN_DONE_JS, arg=before, timeout=120_000, polling=250)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "IllegalStateException" not in text_of(cells(page)[3]):
            page.wait_for_timeout(250)
        evidence.screenshot(page, "late-output", full_page=True)
        shown = [text_of(c) for c in cells(page)]
    assert "late: one second after its cell" in shown[0], shown
    assert "printed while the next cell runs" in shown[1], shown
    assert shown[2].strip() == "the next cell's own line", shown
    assert 'Exception in thread "pool-' in shown[3] and "IllegalStateException: the errand failed" in shown[3], shown
