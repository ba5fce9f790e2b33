"""Keep jieba's start-up chatter out of the build log.

Sphinx's Chinese search index uses jieba, which logs "Building prefix dict ... Loading model from cache ...
Prefix dict has been built successfully." to stderr on every build. Its warnings and errors still show.
"""

from __future__ import annotations

import logging


def setup(app):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
