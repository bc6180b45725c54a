"""Pure, vectorised rule functions, one module per theory or mechanism (MODEL.md section 5).

Each function takes arrays and parameters and returns new arrays; none touches the model.
The model (``sim.model``) wires them in the monthly order of MODEL.md section 3.
"""

import numpy as np

HUM, DEV, PEACE = 0, 1, 2  # pillar columns


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, safe for large arguments."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def group_sum(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum ``values`` by integer ``groups`` (a bincount that also takes 2-D values)."""
    if values.ndim == 1:
        return np.bincount(groups, weights=values, minlength=n_groups)
    return np.stack(
        [
            np.bincount(groups, weights=values[:, j], minlength=n_groups)
            for j in range(values.shape[1])
        ],
        axis=1,
    )
