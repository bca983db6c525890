"""What the course's tests, tools, site, hub and bench share (CONTRIBUTING.md, "Architecture").

`make venv` installs this package into .venv in editable mode (`pip install -e tools/python`), so
every folder imports it by name and none reaches into another; it imports nothing from them.

- paths: where the lessons, notebooks and jars are, and the one lesson glob;
- nbrun, nbcache: a notebook run through the real kernel, and the cache of executed copies;
- kernel: a live kernel session; net: free ports, waiting until a deadline, a server started;
- printed: the lines the helper jar prints that Python reads back; style: the numbered style rules;
- wronganswers: wrong answers fed to a lesson's checks;
- nav, lessons: `make notebooks`; website: `make site`; roster, classroom: the hub and its class;
- binder_pins, binder_repo: the Binder image's pins and repository.
"""
