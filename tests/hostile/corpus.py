"""The hostile corpus: each attack a file built on demand (small on disk, some huge once opened),
and the commands that read that kind of file.

``python -m tests.hostile.corpus FOLDER`` writes every file into FOLDER, to try them by hand.
"""

from __future__ import annotations

import io
import shutil
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FIXTURE = ROOT / "tests" / "fixtures" / "adhesion-controles.docx"
BATCH_TYPE = "services-numeriques"
MEMBERS = SAMPLES / "batch" / "membres.csv"
COMMON = SAMPLES / "batch" / "commun.yaml"
FILL_DATA = """\
nature: commune
nom_de_l_adherent: Libercourt
adresse: Place de la Mairie à Libercourt (62820)
nom_du_representant_legal: Monsieur Jean DUPONT
qualite: maire
nom_de_l_assemblee_deliberante: du conseil municipal
date_de_la_decision: 2023-09-12
date_signature: 2023-10-02
numero_de_la_convention: "2023-338"
"""
HOSTILE_TYPE = "hostile"

Builder = Callable[[Path], Path]


@dataclass(frozen=True)
class Attack:
    """One hostile input: what it is, how to build it, and the error every command must give."""

    name: str
    kind: str  # "data", "text" (a data value), "template", "docx", "sheet"
    build: Builder
    code: int  # the documented exit code
    words: str  # words of the French message (case ignored)
    commands: tuple[str, ...] = ()  # the commands that read it (default: all of its kind)


# ---------------------------------------------------------------- data files


def _text(name: str, content: str) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding="utf-8")
        return path

    return build


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        previous, current = chr(96 + index), chr(97 + index)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _sample_with(path: list[str | int], value: str) -> str:
    """The services sample as JSON with one value replaced (a text attack)."""
    import json

    import yaml

    data = yaml.safe_load((SAMPLES / f"{BATCH_TYPE}.yaml").read_text(encoding="utf-8"))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data, default=str, ensure_ascii=False)


DEEP = 100_000
DATA_ATTACKS = [
    Attack("yaml-billion-laughs", "data", _text("laughs.yaml", billion_laughs()), 3, "alias"),
    Attack("json-deep", "data", _text("deep.json", "[" * DEEP + "]" * DEEP), 3, "imbriquées"),
    Attack("yaml-deep", "data", _text("deep.yaml", "a: " + "[" * DEEP + "]" * DEEP), 3, "imbriquées"),
    Attack("toml-deep", "data", _text("deep.toml", "a = " + "[" * DEEP + "]" * DEEP), 3, "imbriquées"),
    Attack("json-5000-digits", "data", _text("digits.json", '{"a": ' + "9" * 5000 + "}"), 3, "chiffres"),
    Attack("yaml-5000-digits", "data", _text("digits.yaml", "a: " + "9" * 5000), 3, "chiffres"),
    Attack("toml-5000-digits", "data", _text("digits.toml", "a = " + "9" * 5000), 3, "chiffres"),
    Attack("json-duplicate-key", "data", _text("dup.json", '{"a": 1,\n "a": 2}'), 3, "deux fois"),
    Attack("yaml-duplicate-key", "data", _text("dup.yaml", "a: 1\nb: 2\na: 3\n"), 3, "ligne 3"),
    Attack("yaml-self-alias", "data", _text("cycle.yaml", "a: &a [*a]\n"), 3, "circulaire"),
    Attack("data-11-mb", "data", _text("big.json", '{"a": "' + "x" * 11_000_000 + '"}'), 3, "volumineux"),
    Attack(
        "json-300000-parties",
        "data",
        _text("parties.json", '{"parties": [' + ",".join(['{"role": "collectivite"}'] * 300_000) + "]}"),
        3,
        "« parties » de 300000 éléments",
    ),
]
TEXT_ATTACKS = [
    Attack(
        "text-150000-characters",
        "text",
        _text("long.json", _sample_with(["signature", "lieu"], "Commune " * 20_000)),
        5,
        "signature.lieu",
    ),
    Attack(
        "text-nul-character",
        "text",
        _text("nul.json", _sample_with(["signature", "lieu"], "Lens\x00")),
        5,
        "U+0000",
    ),
    Attack(
        "text-control-character",
        "text",
        _text("ctrl.json", _sample_with(["signature", "lieu"], "Lens\x01")),
        5,
        "U+0001",
    ),
]


# ---------------------------------------------------------------- templates


def _template(text: str) -> Builder:
    """A local type ``hostile`` (the services type's schema) whose template is this text."""

    def build(folder: Path) -> Path:
        (folder / "schemas").mkdir(exist_ok=True)
        (folder / "templates").mkdir(exist_ok=True)
        shutil.copy(ROOT / "schemas" / f"{BATCH_TYPE}.yaml", folder / "schemas" / f"{HOSTILE_TYPE}.yaml")
        document = docx.Document()
        document.add_paragraph("Convention entre les parties.")
        document.add_paragraph(text)
        path = folder / "templates" / f"{HOSTILE_TYPE}.docx"
        document.save(str(path))
        return path

    return build


TEMPLATE_ATTACKS = [
    Attack("template-a-times-10-9", "template", _template("{{ 'a' * 10**9 }}"), 6, "refusé"),
    Attack("template-range-10-9", "template", _template("{{ range(10**9)|list|length }}"), 6, "trop grand"),
    Attack(
        "template-nested-loops",
        "template",
        _template("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"),
        6,
        "boucle",
    ),
    Attack(
        "template-recursive-macro",
        "template",
        _template("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
        6,
        "récursive",
    ),
    Attack(
        "template-fan-out-macro",
        "template",
        _template("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}"),
        6,
        "modèle arrêté",
    ),
    Attack(
        "template-doubling",
        "template",
        _template(
            "{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}"
            "{% endfor %}{{ ns.x|length }}"
        ),
        6,
        "refusé",
    ),
    Attack("template-format-width", "template", _template("{{ '%999999999s' % 'a' }}"), 6, "format"),
    Attack("template-center", "template", _template("{{ 'a'|center(10**9) }}"), 6, "trop grand"),
    Attack("template-include", "template", _template("{% include 'x.xml' %}"), 6, "include"),
    Attack("template-import", "template", _template("{% import 'x.xml' as y %}"), 6, "import"),
    Attack("template-extends", "template", _template("{% extends 'x.xml' %}"), 6, "extends"),
]


# ---------------------------------------------------------------- Word documents


@dataclass(frozen=True)
class Bomb:
    """A part of ``head``, ``count`` times ``block``, then ``tail``: gigabytes once inflated."""

    head: bytes
    block: bytes
    count: int
    tail: bytes


def _deflated(content: bytes | Bomb) -> tuple[bytes, int, int]:
    """(raw deflate data, CRC-32, inflated size). A bomb's block is deflated once and its bytes
    repeated: after a full flush deflate starts afresh, so the same block gives the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    if isinstance(content, bytes):
        return compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content)
    head = compressor.compress(content.head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(content.block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(content.tail) + compressor.flush()
    crc = zlib.crc32(content.head)
    for _ in range(content.count):
        crc = zlib.crc32(content.block, crc)
    crc = zlib.crc32(content.tail, crc)
    size = len(content.head) + content.count * len(content.block) + len(content.tail)
    return head + block * content.count + tail, crc, size


def raw_zip(members: dict[str, bytes | Bomb]) -> bytes:
    """A zip written by hand, so that a member may be a bomb of gigabytes built in a second."""
    output = io.BytesIO()
    central = []
    for name, content in members.items():
        data, crc, size = _deflated(content)
        encoded = name.encode()
        offset = output.tell()
        header = (b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        output.write(struct.pack("<4sHHHHHLLLHH", *header) + encoded + data)
        entry = (
            b"PK\x01\x02",
            20,
            20,
            0,
            8,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central.append(struct.pack("<4sHHHHHHLLLHHHHHLL", *entry) + encoded)
    start = output.tell()
    for record in central:
        output.write(record)
    end = output.tell()
    count = len(central)
    output.write(struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, count, count, end - start, start, 0))
    return output.getvalue()


GIGABYTES_2 = 512  # blocks of 4 MB
BLOCK = b" " * (1 << 22)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _docx_with(name: str, replace: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Builder:
    def build(folder: Path) -> Path:
        parts: dict[str, bytes | Bomb] = dict(replace(_parts(FIXTURE)))
        path = folder / name
        path.write_bytes(raw_zip(parts))
        return path

    return build


def _docx_bomb(folder: Path) -> Path:
    """A 2 MB .docx whose document part is 2 GB once inflated (spaces, then the real part)."""
    parts: dict[str, bytes | Bomb] = dict(_parts(FIXTURE))
    document = parts.pop("word/document.xml")
    assert isinstance(document, bytes)
    head, rest = document.split(b"?>", 1)
    parts["word/document.xml"] = Bomb(head + b"?>", BLOCK, GIGABYTES_2, rest)
    path = folder / "bomb.docx"
    path.write_bytes(raw_zip(parts))
    return path


def _entities(parts: dict[str, bytes]) -> dict[str, bytes]:
    lines = ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)
    ]
    document = parts["word/document.xml"]
    head, rest = document.split(b"?>", 1)
    dtd = b"<!DOCTYPE w:document [" + "".join(lines).encode() + b"]>"
    parts["word/document.xml"] = head + b"?>" + dtd + rest.replace(b"<w:t>", b"<w:t>&i;", 1)
    return parts


def _external_entity(parts: dict[str, bytes]) -> dict[str, bytes]:
    document = parts["word/document.xml"]
    head, rest = document.split(b"?>", 1)
    dtd = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    parts["word/document.xml"] = head + b"?>" + dtd + rest.replace(b"<w:t>", b"<w:t>&x;", 1)
    return parts


def _many_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    for index in range(20_000):
        parts[f"word/media/p{index}.bin"] = b""
    return parts


def _not_a_zip(folder: Path) -> Path:
    path = folder / "faux.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    return path


def _dangling(parts: dict[str, bytes]) -> dict[str, bytes]:
    """A relationship of the document to an image the file does not hold."""
    rel = (
        b'<Relationship Id="rIdAbsent" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="media/absente.png"/></Relationships>'
    )
    rels = parts["word/_rels/document.xml.rels"].replace(b"</Relationships>", rel)
    return {**parts, "word/_rels/document.xml.rels": rels}


DOCX_ATTACKS = [
    Attack("docx-zip-bomb-2-gb", "docx", _docx_bomb, 6, "piégée"),
    Attack("docx-billion-laughs-entities", "docx", _docx_with("entites.docx", _entities), 6, "refusé"),
    Attack("docx-external-entity-xxe", "docx", _docx_with("xxe.docx", _external_entity), 6, "refusé"),
    Attack("docx-20000-parts", "docx", _docx_with("parties.docx", _many_parts), 6, "parties"),
    Attack("docx-not-a-zip", "docx", _not_a_zip, 6, "word"),
    Attack(
        "docx-dangling-relationship", "docx", _docx_with("abime.docx", _dangling), 6, "absente du fichier"
    ),
]


# ---------------------------------------------------------------- spreadsheets


def _workbook_parts() -> dict[str, bytes]:
    import openpyxl

    lines = MEMBERS.read_text(encoding="utf-8-sig").splitlines()
    book = openpyxl.Workbook()
    sheet = book.active
    for line in lines[:3]:
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SHEET = "xl/worksheets/sheet1.xml"


def _xlsx(name: str, change: Callable[[bytes], bytes | Bomb]) -> Builder:
    def build(folder: Path) -> Path:
        parts: dict[str, bytes | Bomb] = dict(_workbook_parts())
        sheet = parts.pop(SHEET)
        assert isinstance(sheet, bytes)
        parts[SHEET] = change(sheet)
        path = folder / name
        path.write_bytes(raw_zip(parts))
        return path

    return build


def _sheet_bomb(sheet: bytes) -> Bomb:
    head, tail = sheet.split(b"</sheetData>", 1)
    return Bomb(head, BLOCK, GIGABYTES_2, b"</sheetData>" + tail)


def _merged_column(sheet: bytes) -> bytes:
    merged = b'</sheetData><mergeCells count="1"><mergeCell ref="A2:A1048576"/></mergeCells>'
    return sheet.replace(b"</sheetData>", merged)


def _far_cell(sheet: bytes) -> bytes:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return sheet.replace(b"</sheetData>", far + b"</sheetData>")


def _csv(name: str, content: bytes) -> Builder:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return build


def _members_with(cell: str, encoding: str = "utf-8") -> bytes:
    lines = MEMBERS.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[0] = cell
    return "\n".join([lines[0], ";".join(cells)]).encode(encoding, errors="strict")


SHEET_ATTACKS = [
    Attack("xlsx-zip-bomb-2-gb", "sheet", _xlsx("bomb.xlsx", _sheet_bomb), 3, "piégée"),
    Attack("xlsx-merged-a2-a1048576", "sheet", _xlsx("fusion.xlsx", _merged_column), 3, "fusionnées"),
    Attack("xlsx-cell-xfd1048576", "sheet", _xlsx("loin.xlsx", _far_cell), 3, "trop grande"),
    Attack(
        "csv-cell-200000-characters",
        "sheet",
        _csv("long.csv", _members_with("x" * 200_000)),
        3,
        "trop longue",
    ),
    Attack(
        "csv-undecodable-byte",
        "sheet",
        _csv("octet.csv", _members_with("Lens").replace(b"Lens", b"L\x81ns")),
        3,
        "encodage",
    ),
    Attack(
        "csv-header-index-3000000",
        "sheet",
        _csv("indice.csv", MEMBERS.read_bytes().replace(b"parties[0].nom", b"parties[3000000].nom", 1)),
        2,
        "dépasse la limite",
    ),
]

ATTACKS = DATA_ATTACKS + TEXT_ATTACKS + TEMPLATE_ATTACKS + DOCX_ATTACKS + SHEET_ATTACKS


def commands(attack: Attack, path: Path, out: Path) -> dict[str, list[str]]:
    """Every command that reads this kind of input, as conventum's arguments (cwd: the case folder)."""
    if attack.kind in ("data", "text"):
        found = {
            "validate": ["validate", BATCH_TYPE, str(path)],
            "render": ["render", BATCH_TYPE, str(path), "-o", str(out / "x.docx")],
            "fill": ["fill", str(FIXTURE), str(path), "-o", str(out / "x.docx")],
            "batch": ["batch", BATCH_TYPE, str(MEMBERS), "--commun", str(path), "-o", str(out), "-j", "1"],
        }
        if attack.kind == "data":
            found["dossier"] = ["dossier", str(path), "-o", str(out / "x.pdf")]
        return found
    if attack.kind == "template":
        sample = str(SAMPLES / f"{BATCH_TYPE}.yaml")
        return {
            "render": ["render", HOSTILE_TYPE, sample, "-o", str(out / "x.docx")],
            "batch": [
                "batch",
                HOSTILE_TYPE,
                str(MEMBERS),
                "--commun",
                str(COMMON),
                "-o",
                str(out),
                "-j",
                "2",
            ],
            "check": ["check", str(path)],
        }
    if attack.kind == "docx":
        return {
            "import": ["import", str(path), "--type", "essai", "--dossier", str(out)],
            "fill": ["fill", str(path), "donnees.yaml", "-o", str(out / "x.docx")],
            "check": ["check", str(path)],
        }
    return {"batch": ["batch", BATCH_TYPE, str(path), "--commun", str(COMMON), "-o", str(out), "-j", "1"]}


def prepare(attack: Attack, folder: Path) -> Path:
    """The case folder ready: the hostile file, an output folder, the data ``fill`` needs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sortie").mkdir(exist_ok=True)
    (folder / "donnees.yaml").write_text(FILL_DATA, encoding="utf-8")
    return attack.build(folder)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for item in ATTACKS:
        built = prepare(item, target / item.name)
        print(f"{item.name}: {built} ({built.stat().st_size} octets)")
