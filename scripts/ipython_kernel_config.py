# Kernel settings for the book's .venv (scripts/setup.sh copies this file to .venv/etc/ipython/).
#
# ipykernel 7 logs on every start that its sockets use TCP without encryption. The kernels here are started
# by nbclient (book build, nbval, scripts/execute_notebooks.py) or JupyterLab on the same machine, and
# jupyter-cache/nbclient offer no way to ask for IPC transport, so the notice only adds noise to every
# build log. This filter drops that one message; every other kernel log line still shows.
import logging


class _WithoutTransportNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "running over TCP without encryption" not in record.getMessage()


c = get_config()  # noqa: F821 (provided by IPython when it loads this file)
c.IPKernelApp.logging_config = {
    "filters": {"without_transport_notice": {"()": _WithoutTransportNotice}},
    "handlers": {"console": {"filters": ["without_transport_notice"]}},
}
