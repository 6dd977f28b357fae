"""Look-ups in the official geography: by INSEE code, SIREN, name, postal code; closest names.

The indexes by name are read with the file (built with it, by tools/build_geography.py); the
others are built the first time a look-up needs them, from the rows read once from the file.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, cached_property
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from conventum.geo.data import (
    Commune,
    Departement,
    Epci,
    FormerCommune,
    Region,
    Row,
    Tables,
    commune_of,
    default_path,
    epci_of,
    former_of,
    read_tables,
)
from conventum.geo.nameindex import NameIndex
from conventum.geo.names import fold, split_epci_name, written_epci_name


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building an index makes tens of thousands of objects: without this, the cyclic garbage
    collector would walk the whole table at each of its runs (70 ms instead of 5)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


P = ParamSpec("P")
R = TypeVar("R")


def _without_gc(function: Callable[P, R]) -> Callable[P, R]:
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with _gc_paused():
            return function(*args, **kwargs)

    return paused


class Geography:
    """The communes, former communes, EPCI, départements and régions, indexed for look-ups."""

    def __init__(self, tables: Tables) -> None:
        self.meta: dict[str, Any] = tables.meta
        self._tables = tables
        self._records: dict[str, Commune] = {}

    def _commune(self, row: Row) -> Commune:
        record = self._records.get(row[0])
        if record is None:
            record = self._records[row[0]] = commune_of(row)
        return record

    def _communes(self, rows: list[Row]) -> list[Commune]:
        return [self._commune(row) for row in rows]

    @cached_property
    @_without_gc
    def _by_code(self) -> dict[str, Row]:
        return {row[0]: row for row in self._tables.communes}

    @cached_property
    @_without_gc
    def _by_siren(self) -> dict[str, Row]:
        return {row[4]: row for row in self._tables.communes if row[4]}

    @property
    def _by_name(self) -> NameIndex:
        """Folded name → positions in the communes' table (read with the file)."""
        return self._tables.communes_by_name

    def _rows(self, positions: list[int]) -> list[Row]:
        rows = self._tables.communes
        return [rows[position] for position in positions]

    @cached_property
    @_without_gc
    def _postal(self) -> dict[str, list[Row]]:
        index: dict[str, list[Row]] = {}
        for row in self._tables.communes:
            for code in row[5].split():
                index.setdefault(code, []).append(row)
        return index

    @cached_property
    @_without_gc
    def _epci(self) -> dict[str, Epci]:
        return {row[0]: epci_of(row) for row in self._tables.epci}

    @cached_property
    @_without_gc
    def _epci_keys(self) -> dict[str, list[Epci]]:
        keys: dict[str, list[Epci]] = {}
        for epci in self._epci.values():
            keys.setdefault(written_epci_name(split_epci_name(epci.nom, epci.type)[0]), []).append(epci)
        return keys

    @cached_property
    @_without_gc
    def _epci_of(self) -> dict[str, str]:
        return {member: row[0] for row in self._tables.epci for member in row[3].split()}

    @cached_property
    @_without_gc
    def _departements(self) -> dict[str, Departement]:
        return {row[0]: Departement(*row) for row in self._tables.departements}

    # communes
    def commune(self, code: str) -> Commune | None:
        """The current commune of an INSEE code (62041 → Arras)."""
        row = self._by_code.get(code)
        return self._commune(row) if row else None

    def commune_by_siren(self, siren: str) -> Commune | None:
        """The commune whose SIREN this is."""
        row = self._by_siren.get(siren)
        return self._commune(row) if row else None

    def communes_named(self, name: str) -> list[Commune]:
        """The current communes of that name (accents, case and hyphens aside): Saint-Denis → several."""
        return self._communes(self._rows(self._by_name.get(fold(name))))

    def former_named(self, name: str) -> list[FormerCommune]:
        """The communes déléguées or associées of that name (Les Moëres → part of Ghyvelde)."""
        rows = self._tables.anciennes
        return [former_of(rows[position]) for position in self._tables.anciennes_by_name.get(fold(name))]

    def former(self, code: str) -> FormerCommune | None:
        """The former commune of an INSEE code that is no longer a current commune's."""
        if code in self._by_code:
            return None
        return next((former_of(row) for row in self._tables.anciennes if row[0] == code), None)

    def communes_of_postal_code(self, code: str) -> list[Commune]:
        """The communes a postal code serves (59000 → Lille; 62620 → Ruitz, Barlin, Houchin…)."""
        return self._communes(self._postal.get(code, []))

    def communes_of_departement(self, departement: str) -> list[Commune]:
        """The current communes of a département, by INSEE code."""
        return self._communes([row for row in self._tables.communes if row[3] == departement])

    def is_postal_code(self, code: str) -> bool:
        """Whether La Poste's base lists this postal code (CEDEX codes are not listed)."""
        return code in self._postal

    def closest_communes(self, name: str, *, departement: str | None = None, count: int = 5) -> list[Commune]:
        """The current communes whose names are closest to a misspelt one, within a département if given."""
        positions: Callable[[str], list[int]] = self._by_name.get
        names = self._by_name.names
        if departement is not None:
            within = self._names_in(departement)
            names, positions = list(within), within.__getitem__
        found = difflib.get_close_matches(fold(name), names, n=count, cutoff=0.75)
        return [commune for key in found for commune in self._communes(self._rows(positions(key)))][:count]

    @cache  # noqa: B019 - one Geography per process; a département's names are asked for again and again
    def _names_in(self, departement: str) -> dict[str, list[int]]:
        rows, index = self._tables.communes, self._by_name
        within: dict[str, list[int]] = {}
        for key, position in zip(index.keys, index.positions, strict=True):
            if rows[position][3] == departement:
                within.setdefault(key, []).append(position)
        return within

    # EPCI
    def epci(self, siren: str) -> Epci | None:
        """The EPCI of a SIREN (246200729 → CA du Boulonnais)."""
        return self._epci.get(siren)

    def epci_named(self, name: str) -> list[Epci]:
        """The EPCI a written name designates ("Communauté d’agglomération du Boulonnais", "Boulonnais")."""
        return self._epci_keys.get(written_epci_name(name), [])

    def closest_epci(self, name: str, count: int = 5) -> list[Epci]:
        """The EPCI whose names are closest to a misspelt one."""
        found = difflib.get_close_matches(written_epci_name(name), list(self._epci_keys), n=count, cutoff=0.7)
        return [epci for key in found for epci in self._epci_keys[key]][:count]

    def epci_of_commune(self, code: str) -> Epci | None:
        """The EPCI à fiscalité propre a commune belongs to."""
        siren = self._epci_of.get(code)
        return self._epci[siren] if siren else None

    # départements, régions
    def departement(self, code: str) -> Departement | None:
        """A département by its code: 59, 2A, 974."""
        return self._departements.get(code)

    def departements(self) -> list[Departement]:
        """Every département (and collectivité d’outre-mer with a code of its own), by code."""
        return sorted(self._departements.values(), key=lambda departement: departement.code)

    def departement_named(self, name: str) -> Departement | None:
        """A département by its name: "Pas-de-Calais" → 62; "Réunion" for "La Réunion"."""
        folded = fold(name)
        for departement in self._departements.values():
            if folded in (fold(departement.nom), fold(departement.nom).removeprefix("la ")):
                return departement
        return None

    def region(self, code: str) -> Region | None:
        """A région by its code: 32 → Hauts-de-France."""
        row = next((row for row in self._tables.regions if row[0] == code), None)
        return Region(*row) if row else None

    def departement_of_postal_code(self, code: str) -> str | None:
        """The département of a postal code: its communes', else its prefix (97x; 20 is 2A or 2B: None)."""
        rows = self._postal.get(code, [])
        if rows and len({row[3] for row in rows}) == 1:
            return str(rows[0][3])
        prefix = code[:3] if code.startswith("97") else code[:2]
        return prefix if prefix in self._departements else None


@cache
def geography() -> Geography:
    """The official geography shipped with conventum, loaded at the first call."""
    return load_geography(default_path())


def load_geography(path: Path) -> Geography:
    """A geography from a data file built by tools/build_geography.py."""
    with _gc_paused():
        return Geography(read_tables(path))
