"""The state of a batch job (``lot.json``, or its record on the task queue) as the server's pages
read it, whatever version wrote it."""

from __future__ import annotations

import copy
import logging
from typing import Any

log = logging.getLogger(__name__)

STATE_DEFAULTS: dict[str, Any] = {
    "type": "",
    "format": "docx",
    "tableur": "",
    "statut": "echec",
    "cree": "",
    "lignes": None,
    "faites": 0,
    "bilan": {},
    "erreur": None,
}


STATE_KINDS: dict[str, tuple[type, ...]] = {
    "lignes": (int, type(None)),
    "faites": (int,),
    "bilan": (dict,),
    "erreur": (str, type(None)),
}


def kept_state(job_id: str, state: dict[str, Any]) -> dict[str, Any]:
    """A job's state as its pages read it: a key an older version did not write, or written with a
    value of the wrong kind (``bilan`` that is no mapping, ``faites`` that is no number), takes its
    default, said once in the log; the page shows the job rather than an internal error."""
    kept = {**STATE_DEFAULTS, "id": job_id, **state}
    for key, default in STATE_DEFAULTS.items():
        kinds = STATE_KINDS.get(key, (str,))
        value = kept[key]
        if not isinstance(value, kinds) or isinstance(value, bool):
            log.warning("lot %s : valeur illisible pour « %s » dans son état, ignorée", job_id, key)
            kept[key] = copy.deepcopy(default)
    kept["bilan"] = {str(k): v for k, v in kept["bilan"].items() if isinstance(v, int)}
    return kept


def document_name(name: str) -> bool:
    """A document's name as a report gives it: a plain file name, never a path or a hidden file."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")
