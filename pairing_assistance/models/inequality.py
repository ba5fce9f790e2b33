"""Population-weighted inequality measures of per-capita values."""

from __future__ import annotations

import numpy as np


def _shares(values, weights) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.shape != w.shape or x.size == 0:
        raise ValueError("values and weights must be non-empty and of the same length")
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    return x, w / w.sum()


def gini(values, weights) -> float:
    """Gini coefficient: sum_ij p_i p_j |x_i - x_j| / (2 mean); 0 when all values are equal."""
    x, p = _shares(values, weights)
    mean = float(p @ x)
    return float((p[:, None] * p[None, :] * np.abs(x[:, None] - x[None, :])).sum() / (2 * mean))


def coefficient_of_variation(values, weights) -> float:
    """Weighted standard deviation divided by the weighted mean."""
    x, p = _shares(values, weights)
    mean = float(p @ x)
    return float(np.sqrt(p @ (x - mean) ** 2) / mean)


def theil(values, weights) -> float:
    """Theil T index: sum_i p_i (x_i / mean) ln(x_i / mean); 0 when all values are equal. Values must be positive."""
    x, p = _shares(values, weights)
    if np.any(x <= 0):
        raise ValueError("the Theil index needs positive values")
    ratio = x / float(p @ x)
    return float(p @ (ratio * np.log(ratio)))
