"""The server's register, opened at its first use and kept open."""

from __future__ import annotations

import threading

from conventum.register.store import Register


class Registers:
    """The server's register, opened at its first use (a register created later by the command is
    found then) and kept open."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self._register: Register | None = None
        self._lock = threading.Lock()

    def get(self) -> Register:
        with self._lock:
            if self._register is None:
                self._register = Register(self.base)
            return self._register

    def close(self) -> None:
        with self._lock:
            if self._register is not None:
                self._register.close()
                self._register = None
