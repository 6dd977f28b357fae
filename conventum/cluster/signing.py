"""Task messages signed with a key the instances share: a message forged by whoever reaches the
broker, or sent by another version of conventum, is refused (and logged), never run."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from conventum.cluster.storage import Store
from conventum.settings import current

VERSION = 1  # of the task messages: a worker refuses any other
KEY_ENV = "CONVENTUM_CLE"
KEY_OBJECT = "cle-des-taches"


class Refused(Exception):
    """A task message that is not ours: its French reason in ``args[0]``."""


def shared_key(store: Store) -> bytes:
    """The signing key: the settings' (``$CONVENTUM_CLE``, read by the command) when set, else the
    one kept in the shared storage (made by the first instance that starts; whoever can read it can
    read every document too)."""
    given = current().task_key
    if given:
        return given.encode()
    store.put_once(KEY_OBJECT, secrets.token_hex(32).encode())
    key = store.get(KEY_OBJECT)
    if not key:
        raise Refused("clé de signature des tâches absente du stockage")
    return key


def _digest(key: bytes, payload: dict[str, Any]) -> str:
    body = {name: value for name, value in payload.items() if name != "sig"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with its version and signature."""
    payload = {**payload, "v": VERSION}
    return {**payload, "sig": _digest(key, payload)}


def verify(key: bytes, payload: Any) -> dict[str, Any]:
    """The payload when it is ours and of this version; Refused with the reason otherwise."""
    if not isinstance(payload, dict):
        raise Refused("message de tâche mal formé")
    if payload.get("v") != VERSION:
        raise Refused(f"message de tâche d’une autre version ({payload.get('v')!r}, attendu {VERSION})")
    given = payload.get("sig")
    if not isinstance(given, str) or not hmac.compare_digest(given, _digest(key, payload)):
        raise Refused("signature du message de tâche invalide")
    return payload
