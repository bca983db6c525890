"""Checks of the repository itself: clean notebooks, the right kernels, authentication left on."""
import json
import pathlib
import re

import nbformat
import pytest

from course import kernel, nbrun

ROOT = nbrun.ROOT
NOTEBOOKS = sorted(nbrun.NOTEBOOKS.rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts] + sorted(nbrun.LESSONS.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_clean_and_valid(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"outputs in {cell.source[:40]!r}"
    expected = "java-preview" if path.name.startswith(("07-", "12-")) else "java"
    assert nb.metadata.kernelspec.name == expected


def test_kernelspecs_run_the_chosen_jdk():
    kernels = ROOT / ".venv/share/jupyter/kernels"
    jdk = (ROOT / ".cache/jdk-home").read_text().strip()
    for name in ("java", "java-preview"):
        spec = json.loads((kernels / name / "kernel.json").read_text())
        assert spec["argv"][0] == f"{jdk}/bin/java", "the kernel must not depend on PATH's java"
    release = (pathlib.Path(jdk) / "release").read_text()
    assert int(re.search(r'JAVA_VERSION="(\d+)', release).group(1)) >= 21


def test_both_kernels_run_with_the_heap_and_the_start_up_cache():
    kernels = ROOT / ".venv/share/jupyter/kernels"
    plain, preview = (json.loads((kernels / name / "kernel.json").read_text())["argv"]
                      for name in ("java", "java-preview"))
    assert preview[1] == "--enable-preview" and preview[:1] + preview[2:] == plain, \
        "the two kernels differ only in --enable-preview, so one cache fits both"
    heap = [a for a in plain if a.startswith("-Xmx")]
    assert len(heap) == 1 and re.fullmatch(r"-Xmx\d+[kmgKMG]?", heap[0]), heap
    assert "jdk.jshell/jdk.jshell=ALL-UNNAMED" in plain
    caches = [a.split("=", 1)[1] for a in plain if a.startswith(("-XX:AOTCache=", "-XX:SharedArchiveFile="))]
    assert len(caches) == 1, "make kernel made no start-up cache (tools/kernel_cache.py)"
    assert pathlib.Path(caches[0]).is_file()


@pytest.mark.kernel
def test_a_missing_start_up_cache_costs_only_speed(tmp_path):
    spec = json.loads((ROOT / ".venv/share/jupyter/kernels/java/kernel.json").read_text())
    spec["argv"] = [re.sub(r"^(-XX:(AOTCache|SharedArchiveFile)=).*", rf"\g<1>{tmp_path}/missing", a)
                    for a in spec["argv"]]
    assert any(str(tmp_path) in a for a in spec["argv"])
    (tmp_path / "kernels" / "java-no-cache").mkdir(parents=True)
    (tmp_path / "kernels" / "java-no-cache" / "kernel.json").write_text(json.dumps(spec))
    with kernel.started("java-no-cache", tmp_path, kernel_dirs=[str(tmp_path / "kernels")], ready=120) as (_, kc):
        results = []
        reply = kc.execute_interactive("6 * 7", timeout=120, output_hook=lambda msg: results.append(
            msg["content"].get("data", {}).get("text/plain")))
        assert reply["content"]["status"] == "ok" and "42" in results


WEAKENED = re.compile(
    r"token\s*=\s*['\"]{2}"                                   # c.ServerApp.token = ''
    r"|disable_check_xsrf|password\s*=\s*['\"]{2}"
    r"|--(ServerApp|NotebookApp|IdentityProvider)\.(token|password)=(''|\"\")?(\s|$)"
    r"|--ip=['\"]?(0\.0\.0\.0|\*|::)['\"]?(\s|$)"          # listening beyond this machine
    r"|\bip\s*=\s*['\"](0\.0\.0\.0|\*|::)['\"]"
    r"|allow_origin",                                         # cross-origin requests let in
    re.I | re.M)
SKIP = (".venv", ".git", ".cache", ".pytest_cache", "__pycache__", "build", "node_modules", "_build", "artifacts")


def weakened(text: str) -> bool:
    return bool(WEAKENED.search(text))


@pytest.mark.parametrize("sample", [
    "jupyter lab --ServerApp.token=''",
    'jupyter lab --ServerApp.token="" --port=8888',
    "jupyter lab --IdentityProvider.token=''",
    "jupyter lab --IdentityProvider.token=",
    "jupyter lab --NotebookApp.password=''",
    "c.ServerApp.token = ''",
    "c.IdentityProvider.token = ''",
    "c.ServerApp.disable_check_xsrf = True",
    "jupyter lab --ip=0.0.0.0 --port=8888",
    "jupyter lab --ip='*'",
    "c.ServerApp.ip = '0.0.0.0'",
    "c.ServerApp.allow_origin = '*'",
    "--ServerApp.allow_origin_pat=.*",
])
def test_the_guard_catches(sample):
    assert weakened(sample), sample


@pytest.mark.parametrize("sample", [
    "jupyter lab --ip=127.0.0.1 --port=$(PORT)",
    "--IdentityProvider.token={self.token}",
    "c.ServerApp.ip = '127.0.0.1'",
    "token = secrets.token_hex(16)",
])
def test_the_guard_lets_pass(sample):
    assert not weakened(sample), sample


def test_no_setting_turns_authentication_off():
    checked = 0
    for path in ROOT.rglob("*"):
        if any(part in SKIP for part in path.relative_to(ROOT).parts) or path == pathlib.Path(__file__).resolve():
            continue
        if path.is_file() and path.suffix in ("", ".py", ".sh", ".yml", ".yaml", ".json", ".cfg", ".toml") \
                or path.name in ("Makefile", "postBuild", "run"):
            checked += 1
            assert not weakened(path.read_text(errors="ignore")), f"{path} may weaken Jupyter's authentication"
    assert checked > 10, "the guard looked at almost nothing"
