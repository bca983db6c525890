"""Output of threads that outlive their cell reaches the notebook (kernel/java/asynclab/kernel/Outputs.java).

A real `jupyter server` starts the course's Java kernel, as JupyterLab does; the test listens on
the kernel's iopub channel as the page would. A stream message carries the request it belongs to
as its parent: JupyterLab shows it under that cell for as long as the cell is not run again.
Before the launcher routed it, such text went to the kernel process's stdout, the server's log.
"""
import queue
import time

import pytest

from test_spare_kernel import Server, ready

pytestmark = pytest.mark.kernel

SLEEP = "try { Thread.sleep({ms}); } catch (InterruptedException e) { return; }"


def sleeping(ms: int) -> str:
    return SLEEP.replace("{ms}", str(ms))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A Jupyter server (no spares) and a client on the kernel of one notebook session."""
    server = Server(tmp_path_factory.mktemp("late-output"), spares=False)
    client = server.open_notebook("late.ipynb", "java")
    yield server, client
    client.stop_channels()
    server.process.terminate()
    server.process.wait(timeout=60)
    server.log.close()


def execute(client, code: str, cell_id: str | None = None) -> str:
    """Sends an execute_request; with `cell_id`, its metadata names the cell as JupyterLab's do."""
    if cell_id is None:
        return client.execute(code)
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    msg = client.session.msg("execute_request", content, metadata={"cellId": cell_id})
    client.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def streams(client, until: str | None = None, seconds: float = 10.0, stop_text: str | None = None) -> list[dict]:
    """Stream messages on iopub (name, text, parent msg_id, whether `until` was idle when it came),
    read until `until` is idle and `stop_text` was seen, or `seconds` pass."""
    found, idle = [], until is None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            if idle and (stop_text is None or any(stop_text in s["text"] for s in found)):
                break
            continue
        parent = msg["parent_header"].get("msg_id")
        if msg["msg_type"] == "stream":
            found.append({"name": msg["content"]["name"], "text": msg["content"]["text"],
                          "parent": parent, "after_idle": idle})
        elif msg["msg_type"] == "status" and parent == until and msg["content"]["execution_state"] == "idle":
            idle = True
    return found


def text(found: list[dict], parent: str, name: str = "stdout") -> str:
    return "".join(s["text"] for s in found if s["parent"] == parent and s["name"] == name)


def test_a_thread_printing_after_its_cell_ended_prints_under_that_cell(lab):
    server, client = lab
    cell = execute(client, "Thread.ofVirtual().start(() -> { " + sleeping(1000)
                   + ' System.out.println("late: one second after its cell"); });')
    found = streams(client, until=cell, stop_text="late: one second")
    late = [s for s in found if "late: one second" in s["text"]]
    assert late and late[0]["parent"] == cell and late[0]["after_idle"], found
    assert "late: one second" not in server.log_text(), "the text went to the server's log"


def test_a_thread_printing_while_the_next_cell_runs_prints_under_its_own_cell(lab):
    server, client = lab
    starter = execute(client, "new Thread(() -> { " + sleeping(500)
                      + ' System.out.println("while the next cell runs");'
                      + ' System.err.println("and on stderr"); }).start();')
    streams(client, until=starter)
    following = execute(client, 'Thread.sleep(1500); System.out.println("the next cell\'s own");')
    found = streams(client, until=following, stop_text="the next cell's own")
    assert text(found, starter) == "while the next cell runs\n", found
    assert text(found, starter, "stderr") == "and on stderr\n", found
    assert text(found, following) == "the next cell's own\n", found
    assert all(not s["after_idle"] for s in found if s["parent"] == starter), \
        "the starter's text came after the next cell ended: it was held back"


def test_once_its_cell_runs_again_a_thread_prints_under_the_cell_running_now(lab):
    _, client = lab
    first = execute(client, "Thread.ofVirtual().start(() -> { " + sleeping(800)
                    + ' System.out.println("from the first run"); });', cell_id="cell-a")
    streams(client, until=first)
    again = execute(client, "1 + 1", cell_id="cell-a")             # its output area is cleared
    streams(client, until=again)
    running = execute(client, "Thread.sleep(1500);", cell_id="cell-b")
    found = streams(client, until=running, stop_text="from the first run")
    assert text(found, running) == "from the first run\n", found
    assert text(found, first) == "", found


def test_an_uncaught_exception_in_an_executed_task_shows_its_trace_under_the_cell(lab):
    server, client = lab
    cell = execute(client, "var solo = java.util.concurrent.Executors.newSingleThreadExecutor();\n"
                   "solo.execute(() -> { " + sleeping(300)
                   + ' throw new IllegalStateException("the errand failed"); });\nsolo.shutdown();')
    found = streams(client, until=cell, stop_text="at ")
    trace = text(found, cell, "stderr")
    assert 'Exception in thread "pool-' in trace and "IllegalStateException: the errand failed" in trace, found
    assert "\tat " in trace, trace
    assert "the errand failed" not in server.log_text()


def test_each_thread_keeps_its_order_and_lines_do_not_mix(lab):
    _, client = lab
    cell = execute(client, "for (var name : java.util.List.of(\"a\", \"b\")) {\n"
                   "    Thread.ofVirtual().start(() -> {\n"
                   "        " + sleeping(300) + "\n"
                   "        for (int i = 0; i < 40; i++) {\n"
                   "            System.out.print(name + i);\n"
                   "            System.out.println(\".\");\n"
                   "        }\n"
                   "    });\n"
                   "}")
    found = streams(client, until=cell, stop_text="b39.")
    lines = text(found, cell).splitlines()
    assert sorted(lines) == sorted([f"{n}{i}." for n in "ab" for i in range(40)]), lines
    for name in "ab":
        mine = [int(line[1:-1]) for line in lines if line.startswith(name)]
        assert mine == list(range(40)), f"thread {name} out of order: {mine}"
