"""Data trees (what data files, spreadsheets and forms give: mappings, lists, text, numbers, dates)."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# Leaves that cannot change in place: shared between a tree and its copy.
IMMUTABLE = (str, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def copy_tree(value: Any) -> Any:
    """A tree of mappings and lists copied, its leaves shared when they cannot change in place;
    anything else copied deeply. Several times faster than ``copy.deepcopy`` on data.

    >>> tree = {"a": [{"b": "x"}]}; other = copy_tree(tree); other["a"][0]["b"] = "y"; tree
    {'a': [{'b': 'x'}]}
    """
    if isinstance(value, Mapping):
        return {key: copy_tree(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_tree(item) for item in value]
    if value is None or isinstance(value, IMMUTABLE):
        return value
    return copy.deepcopy(value)
