"""Reading polish: lesson code fits the website's column (issue 16) and reads at a glance."""
import nbformat

from course import nbrun, paths
from course.style import CELL_LINES as LINES
from course.style import LINE_COLUMNS as WIDTH


def long_lines(notebooks) -> list[str]:
    found = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for number, line in enumerate(cell.source.splitlines(), 1):
                if len(line) > WIDTH:
                    where = path.relative_to(nbrun.ROOT) if path.is_relative_to(nbrun.ROOT) else path.name
                    found.append(f"{where} cell {index} line {number}: {len(line)} columns")
    return found


def test_the_check_finds_a_long_line(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x" * WIDTH + "\n" + "y" * (WIDTH + 1))])
    nbformat.write(nb, tmp_path / "sample.ipynb")
    assert long_lines([tmp_path / "sample.ipynb"]) == [f"sample.ipynb cell 0 line 2: {WIDTH + 1} columns"]


def test_code_lines_fit_the_column():
    notebooks = sorted(p for p in nbrun.NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert notebooks
    assert long_lines(notebooks) == []


def long_cells(notebooks) -> list[str]:
    found = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        where = path.relative_to(nbrun.ROOT) if path.is_relative_to(nbrun.ROOT) else path.name
        for index, cell in enumerate(nb.cells):
            count = len(cell.source.splitlines())
            if cell.cell_type == "code" and count > LINES:
                found.append(f"{where} cell {index}: {count} lines")
    return found


def lessons() -> list:
    return sorted([*paths.lessons(), *paths.solutions()])


def test_the_check_finds_a_long_cell(tmp_path):
    cells = [nbformat.v4.new_code_cell("\n".join(["x"] * LINES)),
             nbformat.v4.new_markdown_cell("\n".join(["y"] * (LINES + 1))),
             nbformat.v4.new_code_cell("\n".join(["z"] * (LINES + 1)))]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "sample.ipynb")
    assert long_cells([tmp_path / "sample.ipynb"]) == [f"sample.ipynb cell 2: {LINES + 1} lines"]


def test_lesson_code_cells_read_at_a_glance():
    notebooks = lessons()
    assert len(notebooks) >= 2 * 12, [p.name for p in notebooks]
    assert long_cells(notebooks) == []
