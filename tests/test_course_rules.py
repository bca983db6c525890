"""The course keeps its own rules in its own code (lesson 01: "every cell reads its futures, or
says why not"): no lesson code cell drops the future of `submit`, `supplyAsync`, `runAsync` or
`sendAsync`, nor the list `invokeAll` returns, unless a comment on that line says why."""
import re

import nbformat

from course import nbrun

# A call whose result starts a statement, so nothing reads it: `pool.submit(...)` on a line of its
# own, not `var f = pool.submit(`, `futures.add(pool.submit(`, `return pool.submit(` or a lambda's
# `-> pool.submit(` (the line before ending in `=`, `(`, `,` or `->` continues an expression).
DROPPED = re.compile(r"^\s*(?:[\w.]+\.)?(submit|invokeAll|supplyAsync|runAsync|sendAsync)\s*\(")
CONTINUES = ("=", "(", ",", "->", "return", "+", "?", ":")
# A line may drop its result when a comment on it says why: "// dropped: …" (the pitfall shown) or
# "// read by …" (e.g. a CompletionService's futures, read by take()).
SAYS_WHY = re.compile(r"//\s*(dropped|read by)\b")


def dropped_futures(path) -> list[str]:
    found = []
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            before = lines[number - 1].split("//")[0].rstrip() if number else ""
            if DROPPED.match(line) and not before.endswith(CONTINUES) and not SAYS_WHY.search(line):
                found.append(f"{path.name} cell {index}: {line.strip()}")
    return found


def test_the_rule_finds_a_dropped_future_and_allows_one_that_is_read(tmp_path):
    cells = ["pool.submit(() -> fetch());",                     # dropped
             "var f = pool.submit(() -> fetch());",             # read
             "futures.add(\n    pool.submit(() -> fetch()));",  # read
             "var all =\n    pool.invokeAll(tasks);",           # read
             "pool.invokeAll(tasks);",                          # dropped
             "CompletableFuture.runAsync(r, pool);",            # dropped
             "pool.submit(() -> fetch());   // dropped: the pitfall",
             "done.submit(() -> shop());   // read by take() below"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbformat.write(nb, tmp_path / "sample.ipynb")
    assert dropped_futures(tmp_path / "sample.ipynb") == [
        "sample.ipynb cell 0: pool.submit(() -> fetch());",
        "sample.ipynb cell 4: pool.invokeAll(tasks);",
        "sample.ipynb cell 5: CompletableFuture.runAsync(r, pool);"]


def test_no_lesson_drops_a_future():
    found = [line for path in nbrun.lessons() + nbrun.solutions() for line in dropped_futures(path)]
    assert found == [], "futures dropped in lesson code (read them, or say why on the line):\n" \
        + "\n".join(found)
