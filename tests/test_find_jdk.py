"""tools/find-jdk picks the JDK the lessons are written for (25), on fake JDK folders."""
import os
import pathlib
import subprocess

import pytest

from course import nbrun

FIND_JDK = nbrun.ROOT / "tools" / "find-jdk"


def fake_jdk(home: pathlib.Path, feature: int, release_file: bool = True) -> pathlib.Path:
    """A folder that looks like a JDK: bin/java, bin/javac, bin/jshell, and a 'release' file
    (or, without one, a bin/java that prints the version the way java -version does)."""
    (home / "bin").mkdir(parents=True)
    for tool in ("java", "javac", "jshell"):
        script = home / "bin" / tool
        script.write_text(f'#!/bin/sh\necho \'openjdk version "{feature}.0.1" 2025-10-21\' >&2\n')
        script.chmod(0o755)
    if release_file:
        (home / "release").write_text(f'IMPLEMENTOR="Fake"\nJAVA_VERSION="{feature}.0.1"\n')
    return home


def find(search: str, java_home: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "WANT_JAVA", "MIN_JAVA")}
    env["JDK_SEARCH_PATH"] = search
    if java_home is not None:
        env["JAVA_HOME"] = java_home
    return subprocess.run([str(FIND_JDK)], capture_output=True, text=True, env=env, timeout=30)


def test_25_is_preferred_to_a_newer_26(tmp_path):
    fake_jdk(tmp_path / "jdk-26", 26)
    jdk25 = fake_jdk(tmp_path / "jdk-25", 25)
    fake_jdk(tmp_path / "jdk-21", 21)
    result = find(f"{tmp_path}/*")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{jdk25.resolve()}\n"
    assert result.stderr == "", "no notice when the JDK chosen is 25"


def test_a_path_with_spaces_is_one_path(tmp_path):
    spaced = tmp_path / "My JDKs"
    jdk25 = fake_jdk(spaced / "temurin 25", 25, release_file=False)
    result = find(f"{spaced}/*")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{jdk25.resolve()}\n"


def test_java_home_25_comes_first(tmp_path):
    fake_jdk(tmp_path / "places" / "jdk-25", 25)
    home = fake_jdk(tmp_path / "my home 25", 25)
    result = find(f"{tmp_path}/places/*", java_home=str(home))
    assert result.stdout == f"{home}\n" and result.stderr == ""


def test_a_25_elsewhere_beats_java_home_21(tmp_path):
    jdk25 = fake_jdk(tmp_path / "places" / "jdk-25", 25)
    home21 = fake_jdk(tmp_path / "home21", 21)
    result = find(f"{tmp_path}/places/*", java_home=str(home21))
    assert result.stdout == f"{jdk25.resolve()}\n"


def test_without_25_a_newer_java_home_is_taken_naming_the_lessons_that_need_25(tmp_path):
    fake_jdk(tmp_path / "places" / "jdk-27", 27)
    home26 = fake_jdk(tmp_path / "home26", 26)
    result = find(f"{tmp_path}/places/*", java_home=str(home26))
    assert result.stdout == f"{home26}\n"
    assert "JDK 26" in result.stderr and "no JDK 25 found" in result.stderr
    assert "lessons 07 and 12" in result.stderr and result.stderr.count("\n") == 1


def test_without_25_the_newest_newer_is_taken_and_the_choice_explained(tmp_path):
    fake_jdk(tmp_path / "jdk-21", 21)
    fake_jdk(tmp_path / "jdk-26", 26)
    jdk27 = fake_jdk(tmp_path / "jdk-27", 27)
    result = find(f"{tmp_path}/*", java_home=str(tmp_path / "jdk-21"))
    assert result.returncode == 0
    assert result.stdout == f"{jdk27.resolve()}\n"
    assert "JDK 27" in result.stderr and "no JDK 25 found" in result.stderr
    assert "need JDK 25 exactly" in result.stderr


@pytest.mark.parametrize("missing", ["javac", "jshell"])
def test_a_jre_or_a_jdk_without_jshell_does_not_count(tmp_path, missing):
    broken = fake_jdk(tmp_path / "jdk-25", 25)
    (broken / "bin" / missing).unlink()
    jdk26 = fake_jdk(tmp_path / "jdk-26", 26)
    assert find(f"{tmp_path}/*").stdout == f"{jdk26.resolve()}\n"


@pytest.mark.parametrize("old", [17, 21, 24])
def test_an_older_jdk_is_one_line_naming_what_to_install(tmp_path, old):
    fake_jdk(tmp_path / f"jdk-{old}", old)
    result = find(f"{tmp_path}/*")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"No JDK 25 found (found JDK {old} at ") and result.stderr.count("\n") == 1
    assert "install JDK 25" in result.stderr


def test_an_older_java_home_is_refused_too(tmp_path):
    home21 = fake_jdk(tmp_path / "home21", 21)
    result = find("", java_home=str(home21))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("No JDK 25 found (JAVA_HOME is JDK 21)")


def test_nothing_at_all_is_one_clear_error(tmp_path):
    result = find(f"{tmp_path}/*")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("No JDK 25 found: install JDK 25") and result.stderr.count("\n") == 1
