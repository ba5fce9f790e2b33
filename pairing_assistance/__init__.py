"""Code behind the interactive book on China's 对口支援 (pairing assistance).

Data flows one way: ``data`` (load and validate tables) -> ``models`` (pure
functions) -> ``charts`` (Altair builders, labels from ``i18n``) -> notebooks.
"""

import os

# Single-threaded BLAS for the solvers (multi-threaded OpenBLAS made SLSQP about 40x slower on 2 cores). Takes
# effect when the package is imported before numpy; the notebooks, tests, scripts and benchmarks set it first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

__version__ = "0.1.0"
