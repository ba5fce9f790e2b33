"""Build the classroom kit (课堂包) at the end of every HTML build, into the site itself.

Every build command (``jupyter-book build``, the scripts, CI) therefore produces
``_build/html/classroom/pairing-assistance-classroom.zip``, the file the 课堂包 page links to.
The kit is generated from the repository's sources by ``pairing_assistance.classroom``; it is
deterministic and rewritten only when its bytes change.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from pairing_assistance.classroom import ARCHIVE_NAME, build_kit

FOLDER = "classroom"
logger = logging.getLogger(__name__)


def _build_finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    try:
        target = build_kit(Path(app.srcdir), Path(app.outdir) / FOLDER / ARCHIVE_NAME)
    except (KeyError, ValueError, FileNotFoundError) as error:  # e.g. a glued value the notebook never stored
        logger.warning(f"classroom kit not built: {error}")
        return
    logger.info(f"classroom kit: {target} ({target.stat().st_size / 1e6:.2f} MB)")


def setup(app):
    app.connect("build-finished", _build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
