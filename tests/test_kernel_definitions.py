"""What JShell does to a notebook's definitions, said in the cell that did it
(kernel/java/asynclab/kernel/Definitions.java, CourseKernel.java).

Each test sends cells to the course's own Java kernel (course/kernel.py starts it as the
kernelspec says) and reads what the notebook would show: stdout, stderr, the result and the
error (its name, value and traceback, ANSI colours kept in `raw`, removed in `traceback`).
"""
import re

import pytest

from course import kernel

pytestmark = pytest.mark.kernel

ANSI = re.compile(r"\x1b\[[0-9;]*m")
RERUN = "your exercise cell did not compile (or uses a name that is not defined): fix it and run that cell again"


def run(session, code: str, timeout: float = 60) -> dict:
    """One cell: what the notebook shows of it, from the messages whose parent is this cell."""
    kc = session.kc
    msg_id = kc.execute(code)
    shown = {"stdout": "", "stderr": "", "result": "", "ename": None, "evalue": "", "traceback": "", "raw": ""}
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            shown[content["name"]] += content["text"]
        elif kind == "execute_result":
            shown["result"] += content["data"].get("text/plain", "")
        elif kind == "error":
            shown["ename"], shown["evalue"] = content["ename"], content["evalue"]
            shown["raw"] = "\n".join(content["traceback"])
            shown["traceback"] = ANSI.sub("", shown["raw"])
        elif kind == "status" and content["execution_state"] == "idle":
            return shown


@pytest.fixture(scope="module")
def java():
    with kernel.session(setup=False) as s:
        yield s


def test_a_redefined_method_keeps_the_values_computed_from_it(java):
    # JJava issue 128: in a kernel running JShell in its own JVM, v was rebuilt and read 0
    assert run(java, "int f128() { return 1; }")["ename"] is None
    assert run(java, "var v128 = f128();")["ename"] is None
    changed = run(java, "int f128() { return 2; }")
    assert changed["ename"] is None and changed["stderr"] == "", changed
    assert run(java, "v128")["result"] == "1"
    assert run(java, "f128()")["result"] == "2"


def test_a_variable_that_cannot_keep_its_value_is_named_in_the_cell_that_reset_it(java):
    run(java, "int kind() { return 7; }")
    run(java, "var seven = kind();")
    changed = run(java, 'String kind() { return "seven"; }')     # seven's type would change: int → String
    assert changed["ename"] is None, changed
    assert "seven can no longer be used: it was made from kind(), which changed; run the cell that" \
        " made seven again" in changed["stderr"], changed
    assert run(java, "var seven = kind();")["ename"] is None
    assert run(java, "seven")["result"] == "seven"


def test_a_method_broken_by_redefining_what_it_calls_is_told_why(java):
    # a wrong answer redefines countPosts(...) with `throws Exception`: the check's helper that
    # calls it no longer compiles, though every name it uses is declared
    assert run(java, "int base44() { return 1; }")["ename"] is None
    assert run(java, "int uses44() { return base44() + 1; }")["ename"] is None
    changed = run(java, "int base44() throws Exception { return 2; }")
    assert changed["ename"] is None, changed
    assert "uses44() is defined, but cannot run: it does not compile against the code it uses now" \
        in changed["stderr"] and "unreported exception" in changed["stderr"], changed
    assert "the names it uses" not in changed["stderr"], changed
    called = run(java, "System.out.println(uses44());")
    assert "uses44() cannot run: it does not compile against the code it uses now" in called["stderr"], called


def test_a_definition_naming_an_undefined_type_is_named_and_so_is_a_later_call(java):
    defined = run(java, "int total() { return Stream.of(1, 2).mapToInt(i -> i).sum(); }")
    assert defined["ename"] is None
    assert "total() is defined, but cannot run until Stream is declared" in defined["stderr"], defined
    assert "import java.util.stream.Stream;" in defined["stderr"], defined
    called = run(java, "System.out.println(total());")
    assert "total() cannot run: it uses Stream" in called["stderr"] and RERUN in called["stderr"], called
    assert called["ename"] == "UnresolvedReferenceException", called
    assert "Unresolved dependencies" in called["traceback"] and "variable Stream" in called["traceback"], called
    # a check that only takes the method (and would meet SPIResolutionException inside) is told too
    indirect = run(java, "Runnable check = () -> total(); check.run();")
    assert RERUN in indirect["stderr"], indirect
    run(java, "import java.util.stream.Stream;")
    assert run(java, "total()")["result"] == "3"


def test_after_a_syntax_error_the_earlier_definition_no_longer_answers(java):
    assert run(java, "int answer1() { return 1; }")["ename"] is None
    broken = run(java, "int answer1() { return 2 }")                # ';' missing
    assert broken["ename"] == "CompilationException" and broken["evalue"] == "';' expected", broken
    assert "answer1() is not defined now: this cell's version did not compile, and the earlier one" \
        " was removed" in broken["traceback"], broken
    check = run(java, "System.out.println(answer1() == 2 ? \"✔\" : \"✘\");")
    assert check["stdout"] == "" and check["ename"] == "CompilationException", check
    assert f"hint: answer1() — {RERUN}" in check["traceback"], check
    fixed = run(java, "int answer1() { return 2; }")
    assert fixed["ename"] is None and fixed["stderr"] == "", fixed
    assert run(java, "answer1()")["result"] == "2"


def test_after_a_type_error_the_cell_says_the_method_is_gone(java):
    run(java, "int answer2() { return 1; }")
    broken = run(java, 'int answer2() { return "two"; }')
    assert broken["evalue"] == "incompatible types: java.lang.String cannot be converted to int", broken
    assert "answer2() is not defined now" in broken["traceback"], broken
    check = run(java, "answer2()")
    assert f"hint: answer2() — {RERUN}" in check["traceback"], check


def test_definitions_after_the_error_in_the_same_cell_are_named(java):
    run(java, "int second3() { return 1; }")
    cell = run(java, "int first3() { return \"one\"; }\nint second3() { return 2; }\nint third3() { return 3; }")
    assert cell["ename"] == "CompilationException", cell
    assert "first3() is not defined: this cell's version did not compile" in cell["traceback"], cell
    assert "second3() further down this cell was not run (a cell stops at its first error), and its" \
        " earlier version was removed" in cell["traceback"], cell
    assert "third3() further down this cell was not run (a cell stops at its first error); it is not" \
        " defined" in cell["traceback"], cell


def test_a_compile_error_keeps_jshells_message_and_highlight_without_the_snippet_header(java):
    cell = run(java, "int notAnInt = \"text\";")
    assert cell["ename"] == "CompilationException"
    assert "[snippet:" not in cell["evalue"] and "isSignatureChange" not in cell["evalue"], cell
    assert cell["evalue"] == "incompatible types: java.lang.String cannot be converted to int", cell
    assert "incompatible types: java.lang.String cannot be converted to int" in cell["traceback"]
    assert "\x1b[41m\"text\"" in cell["raw"], "the offending part is no longer highlighted"
    assert "[snippet:" not in cell["traceback"]
