"""Every lesson and every solutions notebook runs top to bottom through the real Java kernel."""
import pytest

from course import nbrun

ALL = nbrun.lessons() + nbrun.solutions()


@pytest.mark.kernel
@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(nbrun.NOTEBOOKS)))
def test_runs_without_errors(path, executed):
    nb = executed(str(path.relative_to(nbrun.NOTEBOOKS)))
    assert nbrun.errors(nb) == []
    assert all(c.get("execution_count") for c in nbrun.code_cells(nb)), "a cell did not run"
    assert nbrun.all_text(nb).strip(), "the notebook printed nothing at all"
    assert nb.metadata["stray_threads"] == "[]", "threads left running when the notebook ended"
    assert not nbrun.STACK_TRACE.search(nbrun.all_text(nb)), "a stack trace reached the learner"


def test_there_are_lessons():
    assert len(nbrun.lessons()) >= 1
