"""Run the Examples in the installed package's docstrings."""

import doctest
import importlib
import pkgutil

import pytest

import fraudrisk

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(fraudrisk.__path__, "fraudrisk.") if info.name != "fraudrisk.cli"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
