"""A row's data merged over the batch's common data, the common data copied without its leaves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conventum.model.trees import copy_tree


def merge_data(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """The row over the common data: objects merged key by key, lists item by item.

    >>> merge_data({"parties": [{"nom": "A"}, {"nom": "B"}]}, {"parties": [{}, {"nom": "C"}]})
    {'parties': [{'nom': 'A'}, {'nom': 'C'}]}
    """
    merged = {key: copy_tree(value) for key, value in base.items()}
    for key, value in override.items():
        merged[key] = _merge_value(merged.get(key), value)
    return merged


def _merge_value(base: Any, value: Any) -> Any:
    # one decision written alone in the common file and a list in the row (autorisation[0].date)
    if isinstance(base, Mapping) and isinstance(value, list):
        base = [base]
    elif isinstance(base, list) and isinstance(value, Mapping):
        value = [value]
    if isinstance(base, Mapping) and isinstance(value, Mapping):
        return merge_data(base, value)
    if isinstance(base, list) and isinstance(value, list):
        items = [_merge_value(base[i], item) if i < len(base) else item for i, item in enumerate(value)]
        return items + [copy_tree(item) for item in base[len(value) :]]
    return copy_tree(value)
