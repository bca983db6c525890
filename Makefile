# Async Java, hands on — every job the course needs, one target each.
# `make` (or `make lab`) sets up what is missing and opens JupyterLab; `make test` runs every test.

PYTHON   ?= python3
VENV     ?= .venv
PORT     ?= 8888
# Four pytest workers on this 2-core machine: much of the suite waits (one-second fetches, timed
# checks) rather than computes; a lesson's tests stay on one worker (tests/conftest.py).
PYTEST_ARGS ?= -n 4 --dist loadgroup
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
KERNELS  := $(VENV)/share/jupyter/kernels
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
SERVER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.py
M2       := .cache/m2
HELPER_JAR := lib/asynclab.jar
JUNIT_JAR  := lib/junit-platform-console-standalone-6.1.3.jar
SOURCES      := $(shell find src/main/java -name '*.java' 2>/dev/null)
TEST_SOURCES := $(shell find src/test/java -name '*.java' 2>/dev/null)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# The JDK (25 preferred, >= 21 accepted: tools/find-jdk) is looked up only by the targets that need
# it, so `make help` works without one. find-jdk's notice (why not 25) goes to the terminal; its
# error, if no JDK fits, becomes make's one-line error.
JDK_LOOKUP = $(eval JDK_LOOKUP := $$(shell mkdir -p .cache && if tools/find-jdk >.cache/find-jdk.out 2>.cache/find-jdk.err; \
  then cat .cache/find-jdk.err >&2; cat .cache/find-jdk.out; else cat .cache/find-jdk.err; fi))$(JDK_LOOKUP)
JDK = $(if $(filter /%,$(JDK_LOOKUP)),$(JDK_LOOKUP),$(error $(JDK_LOOKUP)))
quote = '$(subst ','\'',$(1))'# one shell word, whatever the text holds (spaces, quotes, $)

.DEFAULT_GOAL := lab
.PHONY: help lab hub setup venv kernel jars jar jshell test test-fast test-java test-notebooks notebooks assignments nav bench bench-quick clean FORCE

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16

lab: setup ## Set up what is missing, then open JupyterLab on notebooks/ (127.0.0.1, with a token)
	@$(PY) tools/check_port.py $(PORT)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --port-retries=0 $(ROOT_FLAG) \
	  --ServerApp.root_dir=notebooks --LabApp.default_url=/lab/tree/00-start-here.ipynb

PROXY := .cache/node/node_modules/.bin/configurable-http-proxy

hub: setup $(PROXY) ## JupyterHub for a class at 127.0.0.1 (PORT=8888): learners from hub/roster.txt, docs/teaching.md
	$(PY) hub/launch.py --port $(PORT)

$(PROXY): hub/package.json hub/package-lock.json  # configurable-http-proxy 5.3.0 and its pinned dependencies
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or newer with npm (e.g. sudo apt install nodejs npm)" >&2; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || { echo "Node.js $$(node --version) is too old for configurable-http-proxy 5.3.0: install Node.js 20 or newer" >&2; exit 1; }
	@mkdir -p .cache/node && cp hub/package.json hub/package-lock.json .cache/node/
	cd .cache/node && npm ci --no-audit --no-fund --silent
	@touch $@

setup: venv kernel jars jar ## Everything lab and test need: venv, kernels, jars

venv: $(STAMP) ## The project's Python environment (.venv) with pinned Jupyter and JJava

SPARE_SOURCES := kernel/python/pyproject.toml $(wildcard kernel/python/asynclab_kernel/*.py)
# The shared Python package (tools/python/course): editable, so its source is what runs.
COURSE_PACKAGE := tools/python/pyproject.toml
LAUNCHER_SOURCES := $(shell find kernel/java -name '*.java' 2>/dev/null)

$(STAMP): requirements.txt constraints.txt $(SPARE_SOURCES) $(COURSE_PACKAGE)
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.10 or newer (e.g. sudo apt install python3 python3-venv)" >&2; exit 1; }
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps ./kernel/python   # the spare-kernel provisioner
	$(PY) -m pip install --quiet --no-deps -e ./tools/python   # the shared package: course
	@touch $@

kernel: $(KERNELS)/java-preview/kernel.json $(LAB_SETTINGS) $(SERVER_CONFIG) ## Java kernelspecs on the JDK found, with a start-up cache

# The Java kernels' JVM: KERNEL_HEAP is its maximum heap (-Xmx). Every lesson runs within 512m at its
# default sizes (docs/teaching.md), which leaves room for the Jupyter server within Binder's ~2 GiB
# and lets 30 learners share 24 GiB. `make kernel KERNEL_HEAP=2g` changes it (kernelspecs rewritten).
KERNEL_HEAP ?= 512m
KERNEL_CACHE := $(KERNELS)/java/.start-up-cache

$(KERNELS)/java-preview/kernel.json: .cache/jdk-home .cache/kernel-heap $(STAMP) tools/install_kernelspecs.py $(LAUNCHER_SOURCES) $(KERNEL_CACHE)
	$(PY) tools/install_kernelspecs.py "$$(cat .cache/jdk-home)" $(VENV) --heap $(KERNEL_HEAP)
	@touch $@

# The kernel's AOT cache (JDK >= 24; a CDS archive before), from a training run of the kernel
# (tools/kernel_cache.py, ~1 min). Made again when the JDK or jjava.jar (in the venv) changes: the
# JVM rejects a cache made for another. The helper jars are needed for the training run but are not
# in the cache (JJava's class loader loads them), so they are order-only. If no cache can be made,
# the kernels start without it.
$(KERNEL_CACHE): .cache/jdk-home $(STAMP) tools/kernel_cache.py tools/install_kernelspecs.py $(LAUNCHER_SOURCES) | $(HELPER_JAR)
	$(PY) tools/kernel_cache.py "$$(cat .cache/jdk-home)" $(VENV) --heap $(KERNEL_HEAP)
	@touch $@

.cache/kernel-heap: FORCE
	@mkdir -p .cache
	@printf '%s\n' $(call quote,$(KERNEL_HEAP)) | cmp -s - $@ || printf '%s\n' $(call quote,$(KERNEL_HEAP)) > $@

$(LAB_SETTINGS): tools/jupyterlab-overrides.json $(STAMP)
	@mkdir -p $(dir $@) && cp $< $@

$(SERVER_CONFIG): tools/jupyter_server_config.py $(STAMP)  # the status bar fix: docs/upstream/jjava-kernel-status.md
	@mkdir -p $(dir $@) && cp $< $@

.cache/jdk-home: FORCE
	@mkdir -p .cache
	@printf '%s\n' $(call quote,$(JDK)) | cmp -s - $@ || printf '%s\n' $(call quote,$(JDK)) > $@

jars: $(JUNIT_JAR) ## Jars from Maven Central (JUnit console launcher) into lib/

$(JUNIT_JAR): tools/pom.xml
	cd tools && mvn -B -q -Dmaven.repo.local=../$(M2) \
	  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies -DoutputDirectory=../lib
	@touch $@

jar: $(HELPER_JAR) ## The helper jar, compiled with javac from src/main/java (release 25)

$(HELPER_JAR): $(SOURCES) $(JUNIT_JAR) .cache/jdk-home
	@rm -rf build/classes && mkdir -p build/classes
	"$$(cat .cache/jdk-home)/bin/javac" --release 25 -Xlint:all -Werror -encoding UTF-8 \
	  -cp $(JUNIT_JAR) -d build/classes $(SOURCES)
	"$$(cat .cache/jdk-home)/bin/jar" --create --file $@.tmp -C build/classes . && mv -f $@.tmp $@

jshell: jar ## JShell on the course's JDK, helper jar loaded, course imports ready
	"$$(cat .cache/jdk-home)/bin/jshell" --class-path "$(HELPER_JAR):$(JUNIT_JAR)" \
	  --startup DEFAULT --startup tools/course.jsh

test: setup test-java test-notebooks ## Set up what is missing, then run every test

test-java: jar ## The helper library's JUnit tests, through the JUnit console launcher
	@rm -rf build/test-classes && mkdir -p build/test-classes
	"$$(cat .cache/jdk-home)/bin/javac" --release 25 -encoding UTF-8 \
	  -cp "$(HELPER_JAR):$(JUNIT_JAR)" -d build/test-classes $(TEST_SOURCES)
	"$$(cat .cache/jdk-home)/bin/java" -jar $(JUNIT_JAR) execute --disable-banner \
	  --details=summary --fail-if-no-tests --reports-dir=build/test-reports \
	  --class-path "build/test-classes:$(HELPER_JAR)" --scan-class-path build/test-classes

test-notebooks: setup $(PROXY) ## Notebooks through the real kernel, repo checks, browser test, the class on the hub (pytest)
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv ## The checks that need no kernel, browser or long run (~1 min; `make test` runs all)
	$(PY) -m pytest -m "not kernel and not browser and not slow" $(PYTEST_ARGS)

notebooks: venv ## Build notebooks/ (lessons and worked solutions) from lessons/, navigation included
	$(PY) -m course.nav
	$(PY) -m course.lessons

NBGRADER_DIR := build/nbgrader

assignments: venv ## Release versions of the lessons/ sources, made by nbgrader, in build/nbgrader/release/
	@rm -rf $(NBGRADER_DIR)/source $(NBGRADER_DIR)/release && mkdir -p $(NBGRADER_DIR)
	cp tools/nbgrader_config.py $(NBGRADER_DIR)/nbgrader_config.py
	@for nb in lessons/[0-9][0-9]-*.ipynb; do a=$$(basename $$nb .ipynb); \
	  mkdir -p $(NBGRADER_DIR)/source/$$a && cp $$nb $(NBGRADER_DIR)/source/$$a/ || exit 1; done
	cd $(NBGRADER_DIR) && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" nbgrader generate_assignment '*' --force

nav: notebooks ## The same as notebooks (navigation cells and the README's contents)

SITE_PORT ?= 8000
.PHONY: site serve-site
site: setup ## The course as a website: run the lessons that changed (cached), build site/_build/html
	$(PY) -m course.website

serve-site: ## Serve the built website at http://127.0.0.1:8000/ (SITE_PORT=8001 to change)
	@test -f site/_build/html/index.html || { echo "No website built yet: run make site first" >&2; exit 1; }
	$(PY) -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory site/_build/html

bench: setup $(PROXY) ## Benchmarks against asyncio and the 1 s floor (~10 min): bench/results.md, bench/scale.svg
	$(PY) bench/run.py --python $(PYTHON)

bench-quick: setup ## The benchmarks at small sizes, one run each (~1 min), into bench/out/quick/
	$(PY) bench/run.py --quick --python $(PYTHON)

clean: ## Remove what the build made (keeps .venv and downloads)
	rm -rf build lib/asynclab.jar .pytest_cache site/_build

FORCE:
