"""Code behind the interactive book on China's 对口支援 (pairing assistance).

Data flows one way: ``data`` (load and validate tables) -> ``models`` (pure
functions) -> ``charts`` (Altair builders, labels from ``i18n``) -> notebooks.
"""

__version__ = "0.1.0"
