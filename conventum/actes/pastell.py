"""What Pastell takes: the fields of its ``actes-generique`` / ``ls-actes`` flux as JSON, and a
glaneur drop (a ZIP of ``manifest.xml`` and the files named as the flux's file fields expect).

The field names are those of Pastell's ``module/actes-generique/definition.yml`` (acte_nature,
numero_de_lacte, objet, date_de_lacte, classification, type_acte, type_pj, arrete,
autre_document_attache, document_papier, envoi_tdt)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from lxml import etree

from conventum.actes.envoi import Envoi
from conventum.actes.message import file_names
from conventum.ooxml.xml import parse_xml

FLUX = "actes-generique"
MANIFEST = "manifest.xml"


def pastell_fields(envoi: Envoi) -> dict[str, Any]:
    """The document's fields as Pastell's API takes them (``type_pj``: a JSON list, as the API wants)."""
    names = file_names(envoi)
    return {
        "acte_nature": str(envoi.nature),
        "numero_de_lacte": envoi.numero,
        "objet": envoi.objet,
        "date_de_lacte": envoi.decision.isoformat(),
        "classification": envoi.matiere,
        "type_acte": envoi.pieces[0].code,
        "type_pj": json.dumps([piece.code for piece in envoi.pieces[1:]]),
        "arrete": names[0],
        "autre_document_attache": names[1:],
        "document_papier": False,
        "envoi_tdt": True,
    }


def ls_actes_json(envoi: Envoi) -> bytes:
    """The ``ls-actes`` metadata file: the flux, the fields, and the pieces with their roles."""
    document = {
        "flux": FLUX,
        "identifiant_acte": envoi.acte_id,
        "donnees": pastell_fields(envoi),
        "pieces": [
            {"fichier": name, "type_piece": piece.code, "role": piece.role, "titre": piece.title}
            for name, piece in zip(file_names(envoi), envoi.pieces, strict=True)
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def manifest_xml(envoi: Envoi) -> bytes:
    """``manifest.xml`` of the glaneur: ``<data name value>`` per field, ``<files name>`` per file field."""
    root = etree.Element("manifest", {"flux": FLUX, "version": "1"})
    for name, value in pastell_fields(envoi).items():
        if name in ("arrete", "autre_document_attache"):
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        etree.SubElement(root, "data", {"name": name, "value": text})
    names = file_names(envoi)
    for field, files in (("arrete", names[:1]), ("autre_document_attache", names[1:])):
        group = etree.SubElement(root, "files", {"name": field})
        for file_name in files:
            etree.SubElement(group, "file", {"content": file_name})
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def glaneur_zip(envoi: Envoi) -> bytes:
    """The glaneur drop: the manifest, then the acte and its annexes under their ACTES names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_xml(envoi))
        for name, piece in zip(file_names(envoi), envoi.pieces, strict=True):
            archive.write(piece.path, name)
    return buffer.getvalue()


def read_manifest(xml: bytes) -> dict[str, Any]:
    """A manifest read back (strictly): its fields, and its file fields as lists of names."""
    root = parse_xml(xml)
    fields: dict[str, Any] = {str(item.get("name")): item.get("value") for item in root.iterfind("data")}
    for group in root.iterfind("files"):
        fields[str(group.get("name"))] = [item.get("content") for item in group.iterfind("file")]
    fields["flux"] = root.get("flux")
    return fields
