"""The course's style rules that have a number, each stated once (CONTRIBUTING.md, "Code cells
that behave"; tests/test_style.py and tests/test_structure.py check them)."""

CELL_LINES = 15     # a lesson's code cell reads at a glance: at most this many lines
LINE_COLUMNS = 80   # a code line fits the website's column (issue 16)
