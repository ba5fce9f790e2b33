"""The classroom kit: the book's notebooks, package and data in one offline archive for teaching.

Built at the end of every HTML build (``book/_ext/classroom_kit.py``) into ``_build/html/classroom/``.
Only the build needs this subpackage; the kit itself does not contain it.
"""

from .kit import ARCHIVE_NAME, KIT_NAME, build_kit, kit_files

__all__ = ["ARCHIVE_NAME", "KIT_NAME", "build_kit", "kit_files"]
