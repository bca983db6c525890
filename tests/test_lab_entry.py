"""Lessons reach the helper library through `asynclab.Lab` alone (issue 23): a setup cell is the
`Lab` import plus JDK imports (and `import asynclab.*;` where a lesson names a type), and no code
cell calls a constructor or factory that `Lab` stands for."""
import pathlib
import re

import nbformat
import pytest

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))

# What Lab stands for: each of these has one name now, a static method of Lab.
BYPASSES = re.compile(r"Errands\.blocking|new VirtualClock\(|Delay\.real\(|MallServer\.start\(|ThreadDump\.take\("
                      r"|ThreadDump\.parse\(|Subject\.of\(|Timeline\.start\(|Check\.that\(|Chart\.titled\("
                      r"|TestRun\.|Notebook\.|new Content\(")


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_lessons():
    assert len(LESSONS) >= 12, LESSONS


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_the_setup_cell_imports_lab_and_the_jdk(path):
    setup = [c for c in code_cells(path) if "setup" in c.metadata.get("tags", [])]
    assert len(setup) == 1, path.name
    lines = setup[0].source.splitlines()
    assert lines[:2] == ["%classpath ../lib/*.jar", "import static asynclab.Lab.*;"], lines
    for line in lines[2:]:
        assert line.startswith("import "), line
        if "asynclab" in line:
            assert line == "import asynclab.*;", f"{path.name}: {line} (the library is one package)"
        else:
            assert re.match(r"import (static )?(java|jdk|org\.junit)\.", line), f"{path.name}: {line}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_cell_reaches_past_lab(path):
    cells = code_cells(path)
    own_content = any(re.search(r"^class Content\b", c.source, re.M) for c in cells)  # lesson 04 builds its own
    for cell in cells:
        source = cell.source.replace("new Content(", "") if own_content else cell.source
        found = BYPASSES.search(source)
        assert found is None, f"{path.name}: {found.group(0)} in\n{cell.source}"
