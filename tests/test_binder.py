"""The Binder/JupyterHub set-up: environment.yml matches the local pins, postBuild wires the kernels."""
import json
import os
import re
import shutil
import subprocess

import nbrun

ROOT = nbrun.ROOT


def pins(text):
    return dict(re.findall(r"^\s*-?\s*([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.M))


def test_environment_pins_match_requirements():
    env = pins((ROOT / "environment.yml").read_text())
    local = pins((ROOT / "requirements.txt").read_text())
    for name in ("jupyterlab", "notebook", "jjava", "nbclient", "nbformat"):
        assert env[name] == local[name], name
    assert re.search(r"^\s*- openjdk=(\d+)", (ROOT / "environment.yml").read_text(), re.M)


def test_readme_binder_badge_opens_the_start_notebook():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=lab/tree/notebooks/00-start-here\.ipynb", readme)


def test_postbuild_points_the_kernels_at_the_images_jdk(tmp_path):
    kernels = tmp_path / "share/jupyter/kernels/java"
    kernels.mkdir(parents=True)
    shutil.copy(ROOT / ".venv/share/jupyter/kernels/java/jjava.jar", kernels)
    jdk = (ROOT / ".cache/jdk-home").read_text().strip()
    env = {**os.environ, "NB_PYTHON_PREFIX": str(tmp_path), "JAVA_HOME": jdk,
           "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}"}
    subprocess.run(["bash", "postBuild"], cwd=ROOT, env=env, check=True, capture_output=True)
    spec = json.loads((kernels / "kernel.json").read_text())
    assert spec["argv"][0] == f"{jdk}/bin/java"
    assert (tmp_path / "share/jupyter/kernels/java-preview/kernel.json").exists()
    assert (tmp_path / "share/jupyter/lab/settings/overrides.json").exists()
