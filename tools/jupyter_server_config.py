# Jupyter server settings for the course, installed into the venv by `make kernel`
# (as .venv/etc/jupyter/jupyter_server_config.py), so `make lab`, the browser test and any
# `.venv/bin/jupyter lab` load it. It changes what the browser is told, never how the server
# tracks kernels. Why: docs/upstream/jjava-kernel-status.md.
#
# JupyterLab 4.5+ ignores a kernel status message when the request that caused it is one of the
# server's `untracked_message_types`, which include `kernel_info_request`. A fresh kernel's only
# status messages answer that request, so the status bar reads "Unknown" until something else
# runs. ipykernel escapes by answering the notebook's `history_request` (busy, reply, idle);
# JJava 1.0a8 has no history manager and ignores that request, so a Java notebook read
# "Java | Unknown" until its first cell ran. Letting the page count kernel_info statuses again
# (as JupyterLab 4.4 did) shows "Idle" as soon as the kernel has answered.

FRONTEND_STATUS_FROM = {"kernel_info_request"}


def _count_kernel_info_status(handler, page_config):
    untracked = page_config.get("untracked_message_types")
    if untracked:
        page_config["untracked_message_types"] = [
            kind for kind in untracked if kind not in FRONTEND_STATUS_FROM
        ]
    return _without_nbgrader(page_config)


# nbgrader is pinned for teachers (`make assignments`, grading); the learner's lab runs without its
# menus and server extensions, which would also log an error about a missing course directory.
NBGRADER_SERVER_EXTENSIONS = [f"nbgrader.server_extensions.{name}" for name in
                              ("formgrader", "assignment_list", "course_list", "validate_assignment")]


def _without_nbgrader(page_config):
    disabled = page_config.get("disabledExtensions")
    if isinstance(disabled, dict):
        disabled["@jupyter/nbgrader"] = True
    else:
        page_config["disabledExtensions"] = list(disabled or []) + ["@jupyter/nbgrader"]
    return page_config


c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)
# A plain dict, not .update(): jupyterhub-singleuser reads tornado_settings as a dict (hub/).
_settings = c.ServerApp.tornado_settings if "tornado_settings" in c.ServerApp else {}
_settings = _settings if isinstance(_settings, dict) else _settings.get_value({})
c.ServerApp.tornado_settings = {**_settings, "page_config_hook": _count_kernel_info_status}
c.ServerApp.jpserver_extensions.update({name: False for name in NBGRADER_SERVER_EXTENSIONS})
