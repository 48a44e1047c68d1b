"""No silent multi-second stall (issue 17): a torch ``jit`` whose first call (the compile) runs past
``PORTAX_COMPILE_NOTICE_AFTER`` seconds says so with a ``CompileNoticeWarning`` while it compiles."""

from __future__ import annotations

import time
import warnings

import portax
import pytest


def _torch_only(backend_name: str):
    if backend_name != "torch":
        pytest.skip("the compile notice is the torch backend's (JAX compiles in milliseconds here)")
    from portax_torch import transforms

    return transforms


def test_notice_fires_while_a_slow_block_runs_and_not_after_a_fast_one(backend_name, monkeypatch):
    transforms = _torch_only(backend_name)
    monkeypatch.setenv("PORTAX_COMPILE_NOTICE_AFTER", "0.05")
    with pytest.warns(portax.errors.CompileNoticeWarning, match=r"compiling 'slow' with torch.compile\(backend='inductor'\)"):
        with transforms._slow_compile_notice("slow", "inductor"):
            time.sleep(0.5)
    monkeypatch.setenv("PORTAX_COMPILE_NOTICE_AFTER", "5")
    with warnings.catch_warnings():
        warnings.simplefilter("error", portax.errors.CompileNoticeWarning)
        with transforms._slow_compile_notice("fast", "inductor"):
            pass
        time.sleep(0.1)  # a cancelled timer never fires


def test_only_the_first_call_of_a_jitted_function_is_watched(backend_name, monkeypatch):
    transforms = _torch_only(backend_name)
    watched = []
    real = transforms._slow_compile_notice
    monkeypatch.setattr(transforms, "_slow_compile_notice", lambda name, b: watched.append(name) or real(name, b))
    import torch

    def double_plus_one(x):
        return x * 2 + 1

    f = portax.jit(double_plus_one)
    assert f(torch.ones(2)).tolist() == [3.0, 3.0]
    assert f(torch.ones(2)).tolist() == [3.0, 3.0]
    assert watched == ["double_plus_one"]
