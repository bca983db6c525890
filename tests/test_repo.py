"""Checks of the repository itself: clean notebooks, the right kernels, authentication left on."""
import json
import pathlib
import re

import nbformat
import pytest

import nbrun

ROOT = nbrun.ROOT
NOTEBOOKS = sorted(nbrun.NOTEBOOKS.rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts] + sorted((ROOT / "source").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_clean_and_valid(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"outputs in {cell.source[:40]!r}"
    expected = "java-preview" if path.name.startswith(("06-", "10-")) else "java"
    assert nb.metadata.kernelspec.name == expected


def test_kernelspecs_run_the_chosen_jdk():
    kernels = ROOT / ".venv/share/jupyter/kernels"
    jdk = (ROOT / ".cache/jdk-home").read_text().strip()
    for name in ("java", "java-preview"):
        spec = json.loads((kernels / name / "kernel.json").read_text())
        assert spec["argv"][0] == f"{jdk}/bin/java", "the kernel must not depend on PATH's java"
    release = (pathlib.Path(jdk) / "release").read_text()
    assert int(re.search(r'JAVA_VERSION="(\d+)', release).group(1)) >= 21


def test_no_setting_turns_authentication_off():
    pattern = re.compile(r"(token\s*=\s*['\"]{2}|disable_check_xsrf|password\s*=\s*['\"]{2}|"
                         r"--(ServerApp|NotebookApp)\.(token|password)=(''|\"\")?\s)", re.I)
    for path in ROOT.rglob("*"):
        if any(part in (".venv", ".git", ".cache", "build", "node_modules", "_build", "artifacts") for part in path.parts) \
                or path == pathlib.Path(__file__).resolve():
            continue
        if path.is_file() and path.suffix in ("", ".py", ".sh", ".yml", ".yaml", ".json", ".cfg", ".toml") \
                or path.name in ("Makefile", "postBuild", "run"):
            text = path.read_text(errors="ignore")
            assert not pattern.search(text), f"{path} may turn Jupyter's authentication off"
