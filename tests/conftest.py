import functools
import os
import re

import pytest

# Every kernel a test starts starts cold, as the first kernel of a server does: a warm spare
# (kernel/python/asynclab_kernel) would be an extra JVM warming up beside the lesson under test.
# tests/test_spare_kernel.py turns spares on for its own servers and kernels.
os.environ["ASYNCLAB_SPARE_KERNELS"] = "0"
from course import nbcache, nbrun  # noqa: E402


@functools.lru_cache(maxsize=None)
def _executed(relative: str):
    # nbrun.execute(), kept in build/executed/ and shared with `make site` (see course/nbcache.py)
    return nbcache.execute(nbrun.NOTEBOOKS / relative)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that read executed notebooks has them run afresh next time (course/nbcache.py)."""
    report = (yield).get_result()
    if report.failed and "executed" in getattr(item, "fixturenames", ()):
        nbcache.forget_used()


@pytest.fixture(scope="session")
def executed():
    """executed("04-gather-vs-sequential") -> that lesson run once per test process, outputs kept."""
    def run(name: str):
        relative = name if name.endswith(".ipynb") else f"{name}.ipynb"
        return _executed(relative)
    return run


@pytest.hookimpl(tryfirst=True)   # before xdist reads the groups (its own hook)
def pytest_collection_modifyitems(items):
    """Keeps every test of one lesson (and its solutions) on one xdist worker, so each notebook
    is executed once per run by the `executed` cache rather than once per worker. The tiers
    (pytest.ini: kernel, browser, slow) are marked by each test module itself; one that asks for
    `executed` and is not marked kernel is refused, so `make test-fast` never starts a kernel."""
    for item in items:
        if "executed" in getattr(item, "fixturenames", ()) and item.get_closest_marker("kernel") is None:
            raise pytest.UsageError(f"{item.nodeid} runs notebooks (`executed`): mark it pytest.mark.kernel")
        found = re.search(r"(?:test_|[/\[-])(\d\d)[-_]", item.nodeid)
        if found:
            item.add_marker(pytest.mark.xdist_group(f"lesson{found.group(1)}"))
