"""Rebuild conventum/data/geographie.json.gz from a given version of @etalab/decoupage-administratif.

    mkdir /tmp/geo && cd /tmp/geo && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf *.tgz
    python tools/build_geography.py /tmp/geo/package --date 2026-04-09

The package holds the Code officiel géographique of the INSEE (communes, départements, régions),
the EPCI à fiscalité propre of the DGCL and La Poste's postal codes, under the Licence Ouverte
(the package's code is MIT). ``--date`` is the package version's publication date
(``npm view @etalab/decoupage-administratif time``); the file records it with the version.

The file is gzip of one JSON object: ``meta`` (source, licence, counts, format), then tables
of rows (lists, no keys repeated) that conventum.geo.data reads, and the indexes by name of the
communes and former communes (folded name → row positions), so that no process builds them.

When the folding of names changes (conventum.geo.names.fold), rebuild the indexes of the shipped
file without the package: ``python tools/build_geography.py --reindex``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conventum.geo.nameindex import build_index
from conventum.geo.names import fold_all

FORMAT = 2
TARGET = Path(__file__).resolve().parent.parent / "conventum" / "data" / "geographie.json.gz"
ATTRIBUTION = (
    "Données : Code officiel géographique (INSEE), liste des EPCI à fiscalité propre (DGCL),"
    " base officielle des codes postaux (La Poste), réunis par Etalab dans le paquet npm"
    " @etalab/decoupage-administratif ; Licence Ouverte / Open Licence 2.0 (Etalab)."
    " Code du paquet : licence MIT."
)


def typographic(name: str) -> str:
    """Official names use the straight apostrophe; documents the typographic one."""
    return name.replace("'", "’")


def communes(rows: list[dict[str, Any]]) -> tuple[list[list[Any]], list[list[Any]]]:
    """Current communes (code, name, TNCC, département, SIREN, postal codes) and former ones."""
    current, former = [], []
    for row in rows:
        name, tncc = typographic(row["nom"]), row.get("typeLiaison", 0)
        if row["type"] == "commune-actuelle":
            postal = " ".join(row.get("codesPostaux", []))
            current.append([row["code"], name, tncc, row["departement"], row.get("siren", ""), postal])
        elif row["type"] in ("commune-deleguee", "commune-associee"):
            kind = "d" if row["type"] == "commune-deleguee" else "a"
            former.append([row["code"], name, tncc, row["chefLieu"], kind])
    return current, former


def epci(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """EPCI: SIREN, official name, DGCL type (CC, CA, CU, METRO, MET69), member communes' codes."""
    return [
        [row["code"], typographic(row["nom"]), row["type"], " ".join(m["code"] for m in row["membres"])]
        for row in rows
    ]


def build(package: Path, date: str) -> dict[str, Any]:
    """The whole file's content from an unpacked package folder."""
    manifest = json.loads((package / "package.json").read_text("utf-8"))
    data = package / "data"

    def load(name: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = json.loads((data / name).read_text("utf-8"))
        return rows

    current, former = communes(load("communes.json"))
    tables = {
        "communes": current,
        "anciennes": former,
        "epci": epci(load("epci.json")),
        "departements": [
            [d["code"], typographic(d["nom"]), d["typeLiaison"], d["region"]]
            for d in load("departements.json")
        ],
        "regions": [[r["code"], typographic(r["nom"]), r["typeLiaison"]] for r in load("regions.json")],
    }
    meta = {
        "format": FORMAT,
        "source": manifest["name"],
        "version": manifest["version"],
        "date": date,
        "licence": "Licence Ouverte / Open Licence 2.0 (données) ; MIT (code du paquet)",
        "attribution": ATTRIBUTION,
        "nombres": {name: len(rows) for name, rows in tables.items()},
    }
    return with_indexes({"meta": meta, **tables})


def name_index(rows: list[list[Any]]) -> dict[str, Any]:
    """The folded names of the rows, sorted, one per line (``noms``), and their rows' positions."""
    names, positions = build_index(fold_all([row[1] for row in rows]))
    return {"noms": names, "lignes": positions}


def with_indexes(content: dict[str, Any]) -> dict[str, Any]:
    """The content with its indexes by name (made again from its tables), in the current format."""
    content = {key: value for key, value in content.items() if not key.startswith("index_")}
    content["meta"] = {**content["meta"], "format": FORMAT}
    content["index_communes"] = name_index(content["communes"])
    content["index_anciennes"] = name_index(content["anciennes"])
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, nargs="?", help="unpacked npm package folder (package.json)")
    parser.add_argument("--date", help="publication date of that version, AAAA-MM-JJ")
    parser.add_argument("--reindex", action="store_true", help="the indexes of --output made again")
    parser.add_argument("-o", "--output", type=Path, default=TARGET)
    args = parser.parse_args()
    if args.reindex:
        content = with_indexes(json.loads(gzip.decompress(args.output.read_bytes())))
    elif args.package and args.date:
        content = build(args.package, args.date)
    else:
        parser.error("a package folder and --date, or --reindex")
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    # mtime=0: the same package version gives the same bytes
    args.output.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    counts = ", ".join(f"{name} {count}" for name, count in content["meta"]["nombres"].items())
    print(f"{args.output} : {args.output.stat().st_size} octets ({counts})")


if __name__ == "__main__":
    main()
