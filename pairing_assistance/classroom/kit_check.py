"""课堂包自检 / Classroom kit self-check.

Imported by the first cell of every kit notebook (the notebook's folder is the kernel's working
directory, so ``import kit_check`` finds this file). It checks the Python version, the installed
packages and the data folder, and puts the kit's folder on ``sys.path`` so ``pairing_assistance``
is found without installing it. A problem is reported as one line saying what is missing and the
command that fixes it: IPython prints ``_render_traceback_`` instead of a traceback, and
``python kit_check.py`` prints the same line. Written for old Pythons too (no newer syntax),
so that a too-old Python gets the message rather than a SyntaxError.
"""

import importlib.util
import sys
from pathlib import Path

KIT = Path(__file__).resolve().parent.parent
MINIMUM = (3, 11)
INSTALL = "python3 -m pip install -r requirements-classroom.txt"
# import name -> distribution name in requirements-classroom.txt
MODULES = {"pandas": "pandas", "numpy": "numpy", "scipy": "scipy", "statsmodels": "statsmodels",
           "frictionless": "frictionless", "altair": "altair", "vl_convert": "vl-convert-python",
           "ipywidgets": "ipywidgets", "myst_nb": "myst-nb"}


class KitProblem(Exception):
    """A kit that cannot run; the message says what is missing and how to fix it."""

    def _render_traceback_(self):
        return [str(self)]


def problem():
    """The first thing that stops the notebooks from running, or None."""
    if sys.version_info < MINIMUM:
        return ("课堂包需要 Python {}.{} 或更高版本，当前是 {}.{}。修复：安装 Python 3.11 或更高版本，在课堂包目录运行 "
                "python3.11 -m venv .venv，激活后运行 {}，再启动 jupyter lab。".format(
                    MINIMUM[0], MINIMUM[1], sys.version_info[0], sys.version_info[1], INSTALL))
    if not (KIT / "data" / "datapackage.json").is_file():
        return ("找不到数据文件夹 {}（课堂包解压不完整）。修复：重新完整解压课堂包，例如 unzip -o pairing-assistance-classroom.zip，"
                "然后重新打开本笔记本。".format(KIT / "data"))
    missing = sorted(dist for module, dist in MODULES.items() if importlib.util.find_spec(module) is None)
    if missing:
        return "缺少 Python 包：{}。修复：在课堂包目录运行 {}，然后重启内核（或重新运行本检查）。".format("、".join(missing), INSTALL)
    return None


def check():
    found = problem()
    if found:
        raise KitProblem(found)
    if str(KIT) not in sys.path:
        sys.path.insert(0, str(KIT))


if __name__ == "__main__":
    found = problem()
    print(found or "课堂包检查通过：可以运行 jupyter lab。")
    sys.exit(1 if found else 0)
else:
    check()
