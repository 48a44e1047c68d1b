"""The fixed table of ``portax.random`` cases checked against real ``jax.random`` (live, or the committed JSON).

Each case: (id, function name, keyword arguments as plain JSON values, comparison). ``"exact"`` demands the same
bits; ``"float"`` allows the last-ulp differences of float32 transcendental functions between XLA and the backend
(see ``FLOAT_TOLERANCE``). Array arguments are lists, given to the backend as float32 arrays (``ARRAY_ARGS``).
"""

from __future__ import annotations

SEEDS = (0, 42, 2**31 - 1)

#: rtol/atol for "float" cases: a few float32 ulps (log/log1p/tan/erf differ by 1-3 ulp between XLA and torch)
#: plus an absolute floor for values near 0, where one ulp of an intermediate is many ulps of the result.
FLOAT_TOLERANCE = {"rtol": 4e-6, "atol": 2e-6}

#: argument names that are arrays (given to the backend as float32 arrays)
ARRAY_ARGS = ("p_array", "logits", "x", "mean", "cov", "a_array", "alpha", "lam")

CASES = [
    ("bits", "bits", {"shape": [3, 5]}, "exact"),
    ("bits_u8", "bits", {"shape": [7], "dtype": "uint8"}, "exact"),
    ("bits_u16", "bits", {"shape": [7], "dtype": "uint16"}, "exact"),
    ("split", "split", {"num": 3}, "exact"),
    ("split_shape", "split", {"num": [2, 2]}, "exact"),
    ("fold_in", "fold_in", {"data": 7}, "exact"),
    ("fold_in_big", "fold_in", {"data": 2**31 - 5}, "exact"),
    ("uniform", "uniform", {"shape": [100]}, "exact"),
    ("uniform_scalar", "uniform", {"shape": []}, "exact"),
    ("uniform_range", "uniform", {"shape": [4, 25], "minval": -3.0, "maxval": 5.0}, "exact"),
    ("uniform_f16", "uniform", {"shape": [50], "dtype": "float16"}, "exact"),
    ("uniform_bf16", "uniform", {"shape": [50], "dtype": "bfloat16"}, "exact"),
    ("randint", "randint", {"shape": [100], "minval": -5, "maxval": 17}, "exact"),
    ("randint_wide", "randint", {"shape": [50], "minval": -(2**31), "maxval": 2**31 - 1}, "exact"),
    ("randint_u8", "randint", {"shape": [50], "minval": 0, "maxval": 200, "dtype": "uint8"}, "exact"),
    ("permutation_int", "permutation", {"x": 50}, "exact"),
    ("permutation_array", "permutation", {"x": [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], "axis": 1}, "exact"),
    ("permutation_independent", "permutation",
     {"x": [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], "axis": 1, "independent": True}, "exact"),  # fmt: skip
    ("bernoulli", "bernoulli", {"p": 0.3, "shape": [100]}, "exact"),
    ("bernoulli_high", "bernoulli", {"p": 0.3, "shape": [100], "mode": "high"}, "exact"),
    ("choice", "choice", {"a": 10, "shape": [6]}, "exact"),
    ("choice_noreplace", "choice", {"a": 10, "shape": [6], "replace": False}, "exact"),
    ("choice_p", "choice", {"a": 5, "shape": [8], "p_array": [0.1, 0.2, 0.3, 0.2, 0.2]}, "exact"),
    ("choice_p_noreplace", "choice", {"a": 5, "shape": [3], "replace": False, "p_array": [0.1, 0.2, 0.3, 0.2, 0.2]},
     "exact"),  # fmt: skip
    ("categorical", "categorical", {"logits": [[0.0, 1.0, -1.0], [2.0, 0.5, 0.1]], "shape": [4, 2]}, "exact"),
    ("rademacher", "rademacher", {"shape": [40]}, "exact"),
    ("normal", "normal", {"shape": [200]}, "float"),
    ("normal_f16", "normal", {"shape": [20], "dtype": "float16"}, "float"),
    ("truncated_normal", "truncated_normal", {"lower": -1.0, "upper": 2.0, "shape": [100]}, "float"),
    ("gumbel", "gumbel", {"shape": [100]}, "float"),
    ("exponential", "exponential", {"shape": [100]}, "float"),
    ("laplace", "laplace", {"shape": [100]}, "float"),
    ("logistic", "logistic", {"shape": [100]}, "float"),
    ("cauchy", "cauchy", {"shape": [100]}, "float"),
    ("gamma", "gamma", {"a_array": [0.5, 1.0, 3.0, 10.0]}, "float"),
    ("beta", "beta", {"a": 2.0, "b": 3.0, "shape": [4]}, "float"),
    ("dirichlet", "dirichlet", {"alpha": [1.0, 2.0, 3.0]}, "float"),
    ("poisson", "poisson", {"lam": [0.5, 3.0, 20.0, 100.0]}, "exact"),
    ("multivariate_normal", "multivariate_normal",
     {"mean": [0.0, 1.0, 2.0], "cov": [[2.5, 0.5, 0.5], [0.5, 2.5, 0.5], [0.5, 0.5, 2.5]], "shape": [3]}, "float"),  # fmt: skip
    ("orthogonal", "orthogonal", {"n": 3, "shape": [2]}, "float"),
    ("loggamma", "loggamma", {"a_array": [0.1, 1.0, 3.0, 10.0]}, "float"),
    ("gamma_many", "gamma", {"a": 2.0, "shape": [600]}, "float"),
    ("binomial", "binomial", {"n": 10.0, "p": 0.3, "shape": [30]}, "exact"),
    ("binomial_btrs", "binomial", {"n": 200.0, "p": 0.4, "shape": [30]}, "exact"),
    ("binomial_high_p", "binomial", {"n": 50.0, "p": 0.85, "shape": [30]}, "exact"),
    ("multinomial", "multinomial", {"n": 30.0, "p_array": [0.2, 0.3, 0.5]}, "exact"),
    ("poisson_many", "poisson", {"lam": 40.0, "shape": [200]}, "exact"),
    ("chisquare", "chisquare", {"df": 3.0, "shape": [10]}, "float"),
    ("f", "f", {"dfnum": 3.0, "dfden": 5.0, "shape": [10]}, "float"),
    ("t", "t", {"df": 4.0, "shape": [10]}, "float"),
    ("pareto", "pareto", {"b": 2.0, "shape": [20]}, "float"),
    ("lognormal", "lognormal", {"sigma": 0.5, "shape": [20]}, "float"),
    ("maxwell", "maxwell", {"shape": [10]}, "float"),
    ("double_sided_maxwell", "double_sided_maxwell", {"loc": 1.0, "scale": 2.0, "shape": [10]}, "float"),
    ("weibull_min", "weibull_min", {"scale": 2.0, "concentration": 1.5, "shape": [20]}, "float"),
    ("generalized_normal", "generalized_normal", {"p": 1.5, "shape": [10]}, "float"),
    ("ball", "ball", {"d": 3, "p": 2.0, "shape": [5]}, "float"),
    ("rayleigh", "rayleigh", {"scale": 2.0, "shape": [20]}, "float"),
    ("wald", "wald", {"mean": 1.5, "shape": [20]}, "float"),
    ("geometric", "geometric", {"p": 0.3, "shape": [20]}, "exact"),
    ("triangular", "triangular", {"left": 0.0, "mode": 1.0, "right": 3.0, "shape": [20]}, "float"),
]


def call(module, array, key, function: str, kwargs: dict):
    """Call ``module.<function>(key, **kwargs)`` (module: jax.random or portax.random), arrays made by ``array``."""
    args = dict(kwargs)
    for name in ARRAY_ARGS:
        if name in args and isinstance(args[name], list):
            value = array(args[name])
            if name == "p_array":
                args["p"] = value
                del args["p_array"]
            elif name == "a_array":
                args["a"] = value
                del args["a_array"]
            else:
                args[name] = value
    if "shape" in args and args["shape"] is not None:
        args["shape"] = tuple(args["shape"])
    if function == "split" and isinstance(args.get("num"), list):
        args["num"] = tuple(args["num"])
    return getattr(module, function)(key, **args)
