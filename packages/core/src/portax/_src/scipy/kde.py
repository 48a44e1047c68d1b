"""``portax.scipy.stats.gaussian_kde``: JAX's Gaussian kernel density estimator (jax/_src/scipy/stats/kde.py, 0.10).

Written once over ``portax.numpy``; a pytree (the fitted arrays are its leaves), so it passes through ``jit``,
``vmap`` and ``grad`` like JAX's. The kernel sums are one dense ``(m, n)`` pairwise computation instead of JAX's
nested ``vmap`` (the same values).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import portax.numpy as pnp
from portax._src import tree
from portax._src.scipy import linalg, special
from portax._src.scipy._native import backend_for, creating_on
from portax._src.scipy.special import promote_inexact

Array = Any


class gaussian_kde:  # noqa: N801 (scipy's and JAX's name)
    """Kernel density estimate with Gaussian kernels (``jax.scipy.stats.gaussian_kde``).

    Args:
        dataset: ``(d, n)`` points (or ``(n,)`` for one dimension).
        bw_method: ``"scott"`` (default), ``"silverman"``, a scalar factor, or a callable of the estimator.
        weights: optional ``(n,)`` weights of the points.

    Raises:
        ValueError: fewer than two elements, bad ``weights`` or ``bw_method`` (JAX's messages).
        NotImplementedError: complex data.

    Example:
        >>> import portax.numpy as pnp
        >>> from portax.scipy.stats import gaussian_kde
        >>> kde = gaussian_kde(pnp.array([0.0, 1.0, 2.0, 3.0]))
        >>> round(float(kde.integrate_box_1d(-10.0, 10.0)), 4)
        1.0
    """

    __slots__ = ("neff", "dataset", "weights", "covariance", "inv_cov")

    def __init__(self, dataset: Any, bw_method: str | float | Callable[[Any], Any] | None = None,
                 weights: Any = None) -> None:
        backend = backend_for(dataset, weights)
        with creating_on(backend):
            dataset = pnp.atleast_2d(pnp.asarray(dataset))
            if pnp.iscomplexobj(dataset):
                raise NotImplementedError("gaussian_kde does not support complex data")
            if not math.prod(dataset.shape) > 1:
                raise ValueError("`dataset` input should have multiple elements.")
            d, n = dataset.shape
            if weights is not None:
                dataset, weights = promote_inexact(dataset, weights)
                weights = pnp.atleast_1d(weights)
                weights = weights / pnp.sum(weights)
                if weights.ndim != 1:
                    raise ValueError("`weights` input should be one-dimensional.")
                if weights.shape[0] != n:
                    raise ValueError("`weights` input should be of length n")
            else:
                (dataset,) = promote_inexact(dataset)
                weights = pnp.full((n,), 1.0 / n, dtype=dataset.dtype)
            self.dataset, self.weights = dataset, weights
            self.neff = 1 / pnp.sum(weights**2)
            bw_method = "scott" if bw_method is None else bw_method
            if isinstance(bw_method, str) and bw_method == "scott":
                factor = self.neff ** (-1.0 / (d + 4))
            elif isinstance(bw_method, str) and bw_method == "silverman":
                factor = (self.neff * (d + 2) / 4.0) ** (-1.0 / (d + 4))
            elif isinstance(bw_method, (int, float)) or (hasattr(bw_method, "shape") and not bw_method.shape):
                factor = bw_method
            elif callable(bw_method):
                factor = bw_method(self)
            else:
                raise ValueError("`bw_method` should be 'scott', 'silverman', a scalar, or a callable.")
            data_covariance = pnp.atleast_2d(pnp.cov(dataset, rowvar=True, bias=False, aweights=weights))
            self.covariance = data_covariance * factor**2
            self.inv_cov = pnp.linalg.inv(data_covariance) / factor**2

    # -- pytree -------------------------------------------------------------------------------------------------

    def tree_flatten(self) -> tuple[tuple, None]:
        return (self.neff, self.dataset, self.weights, self.covariance, self.inv_cov), None

    @classmethod
    def tree_unflatten(cls, aux_data: Any, children: Any) -> gaussian_kde:
        kde = cls.__new__(cls)
        kde.neff, kde.dataset, kde.weights, kde.covariance, kde.inv_cov = children
        return kde

    @property
    def d(self) -> int:
        """The number of dimensions."""
        return self.dataset.shape[0]

    @property
    def n(self) -> int:
        """The number of data points."""
        return self.dataset.shape[1]

    # -- evaluation -----------------------------------------------------------------------------------------------

    def _reshape_points(self, points: Any) -> Array:
        with creating_on(backend_for(points, self.dataset)):
            points = pnp.atleast_2d(pnp.asarray(points))
        if pnp.iscomplexobj(points):
            raise NotImplementedError("gaussian_kde does not support complex coordinates")
        d, m = points.shape
        if d != self.d:
            if d == 1 and m == self.d:
                return pnp.reshape(points, (self.d, 1))
            raise ValueError(f"points have dimension {d}, dataset has dimension {self.d}")
        return points

    def _log_kernel(self, points: Any) -> Array:
        """``(m, n)`` log of each data point's weighted kernel at each query point (JAX's whitened form)."""
        (points,) = promote_inexact(self._reshape_points(points))
        points, dataset, inv_cov = promote_inexact(points, self.dataset, self.inv_cov)
        whitening = linalg.cholesky(inv_cov, lower=True)
        train = dataset.T @ whitening
        test = points.T @ whitening
        log_norm = pnp.sum(pnp.log(pnp.diagonal(whitening))) - 0.5 * self.d * math.log(2 * math.pi)
        squared = pnp.sum(pnp.square(test[:, None, :] - train[None, :, :]), axis=-1)
        return log_norm - 0.5 * squared

    def evaluate(self, points: Any) -> Array:
        """The estimated density at ``points`` (``(d, m)``, or ``(m,)`` in one dimension)."""
        return pnp.sum(self.weights * pnp.exp(self._log_kernel(points)), axis=1)

    __call__ = evaluate
    pdf = evaluate

    def logpdf(self, x: Any) -> Array:
        """The log of the estimated density, computed with ``logsumexp`` (finite far in the tails)."""
        return special.logsumexp(pnp.log(self.weights) + self._log_kernel(x), axis=1)

    def integrate_gaussian(self, mean: Any, cov: Any) -> Array:
        """The integral of the estimate times the normal density ``N(mean, cov)``.

        Raises:
            ValueError: ``mean`` or ``cov`` of another dimension.
        """
        mean, cov = promote_inexact(mean, cov)
        mean, cov = pnp.atleast_1d(pnp.squeeze(mean)), pnp.atleast_2d(cov)
        if tuple(mean.shape) != (self.d,):
            raise ValueError(f"mean does not have dimension {self.d}")
        if tuple(cov.shape) != (self.d, self.d):
            raise ValueError(f"covariance does not have dimension {self.d}")
        chol = linalg.cho_factor(self.covariance + cov)
        norm = 1.0 / (math.sqrt(2 * math.pi) ** self.d * pnp.prod(pnp.diagonal(chol[0])))
        diff = self.dataset - mean[:, None]
        alpha = linalg.cho_solve(chol, diff)
        return norm * pnp.sum(pnp.exp(-0.5 * pnp.sum(diff * alpha, axis=0)) * self.weights)

    def integrate_box_1d(self, low: Any, high: Any) -> Array:
        """The integral of a one-dimensional estimate over ``[low, high]``.

        Raises:
            ValueError: the estimate is not one-dimensional, or the bounds are not scalars.
        """
        if self.d != 1:
            raise ValueError("integrate_box_1d() only handles 1D pdfs.")
        if pnp.ndim(low) != 0 or pnp.ndim(high) != 0:
            raise ValueError("the limits of integration in integrate_box_1d must be scalars")
        sigma = pnp.squeeze(pnp.sqrt(self.covariance))
        low = pnp.squeeze((low - self.dataset) / sigma)
        high = pnp.squeeze((high - self.dataset) / sigma)
        return pnp.sum(self.weights * (special.ndtr(high) - special.ndtr(low)))

    def integrate_kde(self, other: gaussian_kde) -> Array:
        """The integral of the product of this estimate and ``other``.

        Raises:
            ValueError: the estimates have different dimensions.
        """
        if other.d != self.d:
            raise ValueError("KDEs are not the same dimensionality")
        chol = linalg.cho_factor(self.covariance + other.covariance)
        norm = 1.0 / (math.sqrt(2 * math.pi) ** self.d * pnp.prod(pnp.diagonal(chol[0])))
        small, large = (self, other) if self.n < other.n else (other, self)
        diff = large.dataset[:, :, None] - small.dataset[:, None, :]  # (d, n_large, n_small)
        alpha = linalg.cho_solve(chol, pnp.reshape(diff, (self.d, -1)))
        quadratic = pnp.reshape(pnp.sum(pnp.reshape(diff, (self.d, -1)) * alpha, axis=0), diff.shape[1:])
        per_small = norm * pnp.sum(pnp.exp(-0.5 * quadratic) * large.weights[:, None], axis=0)
        return pnp.sum(per_small * small.weights)

    def resample(self, key: Any, shape: tuple[int, ...] = ()) -> Array:
        """``shape`` new draws from the estimate, ``(d, *shape)``, with a portax key (the same draws as JAX's)."""
        from portax._src import random

        ind_key, eps_key = random.split(key)
        ind = random.choice(ind_key, self.n, shape=shape, p=self.weights)
        with creating_on(backend_for(self.dataset)):
            eps = random.multivariate_normal(eps_key, pnp.zeros(self.d, dtype=self.covariance.dtype),
                                             self.covariance, shape=shape, dtype=self.dataset.dtype).T
        return self.dataset[:, ind] + eps

    def integrate_box(self, low_bounds: Any, high_bounds: Any, maxpts: Any = None) -> Array:
        """Not provided, as in JAX.

        Raises:
            NotImplementedError: always (JAX's own message).
        """
        raise NotImplementedError("only 1D box integrations are supported; use `integrate_box_1d`")

    def set_bandwidth(self, bw_method: Any = None) -> None:
        """Not provided, as in JAX (create a new estimator instead).

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("dynamically changing the bandwidth method is not supported")


tree.register_pytree_node(gaussian_kde, gaussian_kde.tree_flatten, gaussian_kde.tree_unflatten)
