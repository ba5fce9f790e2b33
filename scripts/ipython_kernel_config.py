# Kernel settings for the book's .venv (scripts/setup.sh copies this file to .venv/etc/ipython/).
#
# ipykernel 7 logs on every start that its sockets use TCP without encryption. The kernels here are started
# by nbclient (book build, nbval, scripts/execute_notebooks.py) or JupyterLab on the same machine, and
# jupyter-cache/nbclient offer no way to ask for IPC transport, so the notice only adds noise to every
# build log. jupyter_client also interrupts every kernel before shutting it down (KernelManager.shutdown_kernel),
# and when that SIGINT lands while the kernel handles a message, ipykernel logs "KeyboardInterrupt caught in
# kernel." at error level, at random in about one build in two. This filter drops those two messages; every
# other kernel log line still shows (an interrupted cell still reports its KeyboardInterrupt in the notebook).
import logging


NOISE = ("running over TCP without encryption", "KeyboardInterrupt caught in kernel")


class _WithoutTransportNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not any(text in record.getMessage() for text in NOISE)


c = get_config()  # noqa: F821 (provided by IPython when it loads this file)
c.IPKernelApp.logging_config = {
    "filters": {"without_transport_notice": {"()": _WithoutTransportNotice}},
    "handlers": {"console": {"filters": ["without_transport_notice"]}},
}
