"""Every lesson has the course's shape: navigation, title, objectives, setup, summary, exercises."""
import re
import subprocess
import sys

import pytest

from course import nbrun
from course.style import CELL_LINES


@pytest.mark.parametrize("path", nbrun.lessons(), ids=lambda p: p.stem)
def test_lesson_shape(path):
    nb = nbrun.read(path)
    cells = nb.cells
    assert cells[0].source.startswith("<!-- nav -->") and cells[-1].source.startswith("<!-- nav -->")
    title = next(c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("# "))
    assert re.match(rf"# {path.name[:2]} · \S", title), title.splitlines()[0]
    assert "You will learn" in title
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    setup = nbrun.tagged(nb, "setup")
    assert len(setup) == 1 and setup[0].source.startswith("%classpath ../lib/*.jar")


@pytest.mark.parametrize("path", nbrun.lessons(), ids=lambda p: p.stem)
def test_code_cells_are_short(path):
    for cell in nbrun.code_cells(nbrun.read(path)):
        assert len(cell.source.splitlines()) <= CELL_LINES, f"a {len(cell.source.splitlines())}-line cell: {cell.source[:60]!r}"


def test_navigation_is_up_to_date():
    for tool in ("course.nav", "course.lessons"):
        result = subprocess.run([sys.executable, "-m", tool, "--check"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
