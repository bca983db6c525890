"""The course's additions to the Jupyter Book 1.x build, loaded from site/_config.yml.

- site/_static/course.css, the course's few style rules.
- A fix: Sphinx 7.4 writes inline scripts that extensions add after the builder started twice on
  every page (it re-adds them with the file name '' instead of None, so its duplicate check misses
  them), and sphinx-thebe's `const THEBE_JS_URL = ...` then fails in the browser ("has already been
  declared"). Each page keeps the first copy of every script.
"""
import pathlib

STATIC = pathlib.Path(__file__).resolve().parent.parent / "_static"


def _add_static(app, config):
    config.html_static_path.append(str(STATIC))


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        if isinstance(script, str):
            key = script
        else:
            key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("config-inited", _add_static)
    app.add_css_file("course.css")
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
