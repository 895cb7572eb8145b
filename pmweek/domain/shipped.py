"""The files pmweek ships (the routine, the readers), wherever pmweek runs from."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def shipped(name: str) -> Traversable:
    """``name`` in the ``pmweek.data`` package an install maps the top-level ``data/``
    folder to; run from a source checkout over a non-editable install (``python -m
    pmweek`` in the clone) there is no such package, and the folder is read in place."""
    try:
        return resources.files("pmweek.data").joinpath(name)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "data" / name
