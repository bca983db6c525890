"""`make jshell` gives a terminal JShell on the course's JDK with the helper jar and imports ready."""
import re
import subprocess

import pytest

from course import nbrun

pytestmark = pytest.mark.slow


def test_a_lesson_snippet_runs_in_make_jshell():
    snippet = 'time(() -> Thread.sleep(200));\nSystem.out.println("feature=" + Runtime.version().feature());\n/exit\n'
    result = subprocess.run(["make", "-s", "jshell"], cwd=nbrun.ROOT, input=snippet,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Execution time: 0.2" in result.stdout, result.stdout
    # JShell may echo the snippet, so read the printed figure, not the source text
    feature = re.search(r"feature=(\d+)", result.stdout)
    assert feature and int(feature.group(1)) >= 21, result.stdout
