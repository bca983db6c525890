"""Reading polish: lesson code fits the website's column (issue 16)."""
import nbformat

import nbrun

WIDTH = 80


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
    assert long_lines([tmp_path / "sample.ipynb"]) == ["sample.ipynb cell 0 line 2: 81 columns"]


def test_code_lines_fit_80_columns():
    notebooks = sorted(p for p in nbrun.NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert notebooks
    assert long_lines(notebooks) == []
