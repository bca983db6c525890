import functools
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# Every kernel a test starts starts cold, as the first kernel of a server does: a warm spare
# (kernel/python/asynclab_kernel) would be an extra JVM warming up beside the lesson under test.
# tests/test_spare_kernel.py turns spares on for its own servers and kernels.
os.environ["ASYNCLAB_SPARE_KERNELS"] = "0"
import nbcache  # noqa: E402
import nbrun  # noqa: E402


@functools.lru_cache(maxsize=None)
def _executed(relative: str):
    # nbrun.execute(), kept in build/executed/ and shared with `make site` (see nbcache.py)
    return nbcache.execute(nbrun.NOTEBOOKS / relative)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that read executed notebooks has them run afresh next time (nbcache.py)."""
    report = (yield).get_result()
    if report.failed and "executed" in getattr(item, "fixturenames", ()):
        nbcache.forget_used()


@pytest.fixture(scope="session")
def executed():
    """executed("03-gather-vs-sequential") -> that lesson run once per test process, outputs kept."""
    def run(name: str):
        relative = name if name.endswith(".ipynb") else f"{name}.ipynb"
        return _executed(relative)
    return run


# Modules whose tiers the rules below cannot see (they run make, postBuild, nbgrader or the bench).
TIERS = {"test_bench_quick": ("slow", "kernel"), "test_nbgrader": ("slow", "kernel"),
         "test_binder": ("slow",), "test_setup_failures": ("slow",), "test_jshell": ("slow",),
         "test_hub": ("slow", "kernel"), "test_jdk_claims": ("slow",)}
# Calls that run a notebook through the kernel from inside a test function (tests/wronganswers.py).
RUNS_A_NOTEBOOK = ("wrong_answers_notebook(", "verdicts_after_exercises(")


@pytest.hookimpl(tryfirst=True)   # before xdist reads the groups (its own hook)
def pytest_collection_modifyitems(items):
    """Keeps every test of one lesson (and its solutions) on one xdist worker, so each notebook
    is executed once per run by the `executed` cache rather than once per worker.
    Also marks the tiers (pytest.ini) that a test's module does not mark itself: `kernel` for a
    test using `executed`, tests/kernel.py, nbrun.execute or a RUNS_A_NOTEBOOK call; `browser`
    for a module that drives Chromium; the modules in TIERS as listed there."""
    import inspect
    import re
    for item in items:
        module = getattr(item, "module", None)
        names = vars(module) if module else {}
        function = getattr(item, "function", None)
        body = inspect.getsource(function) if function else ""
        if "executed" in getattr(item, "fixturenames", ()) or names.get("kernel") is sys.modules.get("kernel") \
                or "nbrun.execute(" in inspect.getsource(module) or any(c in body for c in RUNS_A_NOTEBOOK):
            item.add_marker(pytest.mark.kernel)
        if "CHROMIUM" in names:
            item.add_marker(pytest.mark.browser)
        for tier in TIERS.get(getattr(module, "__name__", ""), ()):
            item.add_marker(getattr(pytest.mark, tier))
        found = re.search(r"(?:test_|[/\[-])(\d\d)[-_]", item.nodeid)
        if found:
            item.add_marker(pytest.mark.xdist_group(f"lesson{found.group(1)}"))
