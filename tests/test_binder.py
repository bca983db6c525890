"""The image's definition (Binder, repo2docker, Zero to JupyterHub) agrees with the local pins.

- environment.yml pins the Jupyter stack and everything it pulls in at constraints.txt's versions;
- the Binder repository is named once (binder-repo.txt) and the badge and book repeat it;
- postBuild wires the kernels into a clean prefix; the start script caps the kernel heap;
- hub/z2jh-config.yaml parses and names the same versions, heap and culling as `make hub`.
What cannot run here (Kubernetes, mybinder.org) is said in the README's "Teaching a class".
"""
import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from course import binder_pins, binder_repo, nbrun, website

ROOT = nbrun.ROOT

pytestmark = pytest.mark.slow


def pins(text):
    return dict(re.findall(r"^\s*-?\s*([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.M))


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_pins_every_package_at_the_constraints_version():
    pip = next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))
    assert all("==" in line for line in pip), [line for line in pip if "==" not in line]
    env = pins("\n".join(pip))
    local = pins((ROOT / "constraints.txt").read_text())
    wrong = {name: (version, local.get(name)) for name, version in env.items() if local.get(name) != version}
    assert not wrong, f"environment.yml differs from constraints.txt: {wrong}; run .venv/bin/python -m course.binder_pins"
    for name in ("jupyterlab", "notebook", "jjava", "nbclient", "nbformat", "jupyterhub",
                 "jupyter_server", "jupyterlab_server", "jupyter_client", "tornado", "traitlets"):
        assert name in env, f"{name} floats in the image: run .venv/bin/python -m course.binder_pins"


def test_environment_pins_everything_the_stack_pulls_in():
    """Nothing the image's Jupyter stack requires is left to float (read from .venv's metadata)."""
    assert binder_pins.pins() == [line.strip()[2:] for line in (ROOT / "environment.yml").read_text().splitlines()
                                  if re.match(r"\s+- [A-Za-z0-9_.-]+==", line)], \
        "environment.yml is out of date: run .venv/bin/python -m course.binder_pins"


def test_environment_python_and_jdk_are_the_supported_ones():
    deps = [d for d in environment()["dependencies"] if isinstance(d, str)]
    python = re.fullmatch(r"python=3\.(\d+)", next(d for d in deps if d.startswith("python=")))
    assert python and int(python.group(1)) >= 10   # README: Python 3.10 or newer
    assert "openjdk=25" in deps   # lesson 07's preview API has the shape it has in JDK 25 (README)


def test_the_binder_repository_is_named_once_and_repeated_exactly():
    repo = binder_repo.read()
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"\(https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/HEAD\?urlpath=lab/tree/notebooks/"
                      r"00-start-here\.ipynb\)", readme)
    assert badge, "the README has no Binder badge opening the start notebook"
    assert badge.group(1) == repo, "README badge differs from binder-repo.txt: run .venv/bin/python -m course.binder_repo"
    book = yaml.safe_load((ROOT / "site/_config.yml").read_text())
    assert book["repository"]["url"] == f"https://github.com/{repo}", "run .venv/bin/python -m course.binder_repo"
    assert book["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert website.repository() == (repo, "HEAD")
    assert website.binder_url(ROOT / "notebooks/04-gather-vs-sequential.ipynb") == \
        f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/04-gather-vs-sequential.ipynb"
    assert "binder-repo.txt" in readme   # the README tells a forking teacher the one line to change


def test_a_bad_binder_repository_setting_is_refused_clearly(tmp_path):
    bad = tmp_path / "binder-repo.txt"
    bad.write_text("# comment\nnot a repository\n")
    try:
        binder_repo.read(bad)
    except SystemExit as e:
        assert "must hold one line OWNER/REPO" in str(e)
    else:
        raise AssertionError("a bad setting was accepted")


def test_postbuild_points_the_kernels_at_the_images_jdk(tmp_path):
    """postBuild against a clean prefix: only the jjava wheel's files are there, as in the image."""
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
    assert (tmp_path / "etc/jupyter/jupyter_server_config.py").exists()
    assert (ROOT / "lib/asynclab.jar").exists()


def test_the_start_script_caps_the_kernel_heap_unless_told_otherwise():
    start = ROOT / "start"
    assert os.access(start, os.X_OK)
    env = {k: v for k, v in os.environ.items() if k != "JDK_JAVA_OPTIONS"}
    capped = subprocess.run([str(start), "sh", "-c", "echo $JDK_JAVA_OPTIONS"], env=env,
                            capture_output=True, text=True, check=True).stdout.strip()
    assert capped == f"-Xmx{hub_heap()}"
    own = subprocess.run([str(start), "sh", "-c", "echo $JDK_JAVA_OPTIONS"], env={**env, "JDK_JAVA_OPTIONS": "-Xmx1g"},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert own == "-Xmx1g"


def hub_heap():
    return re.search(r'KERNEL_HEAP", "(\w+)"', (ROOT / "hub/jupyterhub_config.py").read_text()).group(1)


def mebibytes(quantity: str) -> float:
    units = {"K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    number, unit = re.fullmatch(r"([\d.]+)([KMG]i?)", quantity).groups()
    return float(number) * units[unit] / 2**20


def test_the_zero_to_jupyterhub_config_names_the_same_stack():
    config = yaml.safe_load((ROOT / "hub/z2jh-config.yaml").read_text())
    user = config["singleuser"]
    local = pins((ROOT / "constraints.txt").read_text())
    for name in ("jupyterhub", "jupyterlab", "notebook", "jjava"):
        assert user["extraLabels"][f"course-{name}"] == local[name], name
    jdk = re.search(r"^\s*- openjdk=(\d+)", (ROOT / "environment.yml").read_text(), re.M).group(1)
    assert user["extraLabels"]["course-openjdk"] == jdk
    heap = hub_heap()
    assert user["extraEnv"]["JDK_JAVA_OPTIONS"] == f"-Xmx{heap}"
    guarantee, limit = mebibytes(user["memory"]["guarantee"]), mebibytes(user["memory"]["limit"])
    heap_mib = mebibytes(heap.upper()[:-1] + "Mi" if heap.lower().endswith("m") else heap)
    assert heap_mib + 150 <= guarantee <= limit <= 2048, (heap_mib, guarantee, limit)
    assert 30 * guarantee <= 24 * 1024 - 1024, "30 learners' guarantees must fit 24 GiB with room for the hub"
    assert 0 < float(user["cpu"]["guarantee"]) <= float(user["cpu"]["limit"])
    assert config["cull"]["enabled"] is True
    culled = re.search(r'HUB_CULL_TIMEOUT", "(\d+)"', (ROOT / "hub/jupyterhub_config.py").read_text()).group(1)
    assert config["cull"]["timeout"] == int(culled)
    assert user["defaultUrl"].endswith("notebooks/00-start-here.ipynb")
    hook = " ".join(user["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "[ -d ~/work/notebooks ] ||" in hook   # the lessons are copied once, never over the learner's work
    assert config["hub"]["config"]["JupyterHub"]["authenticator_class"] not in ("dummy", "null")
