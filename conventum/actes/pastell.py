"""What Pastell takes: the fields of its ``actes-generique`` flux as a glaneur drop (a ZIP of
``manifest.xml`` and the files it names), and the metadata JSON of its ``ls-actes`` flux.

Checked against Pastell's own source (libriciel/pastell): the glaneur in manifest mode reads the
flux from the root's ``type`` attribute, one ``<data name value>`` per field and one
``<files name>`` of ``<file content>`` per file field (``GlaneurGlanerRepertoire::glanerModeManifest``;
its test fixture ``glaneur-sftp/fixtures/actes-automatique/manifest.xml`` is laid out the same way);
a checkbox is ticked by ``on``; ``type_pj`` is a JSON list (``TdtTypologieChangeByApi``); the
typology file ``type_piece_fichier`` lists each file with its typology. The field names are those of
``module/actes-generique/definition.yml`` and ``module/ls-actes/definition.yml``."""

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
LS_ACTES = "ls-actes"
MANIFEST = "manifest.xml"
TYPOLOGY = "type_piece.json"
CHECKED = "on"  # a Pastell checkbox's value when ticked; unticked, the field is left out
FILE_FIELDS = ("arrete", "autre_document_attache", "type_piece_fichier")


def pastell_fields(envoi: Envoi, *, tdt_field: str = "envoi_tdt") -> dict[str, str]:
    """The document's fields as Pastell takes them (``type_pj``: a JSON list, as the API wants)."""
    return {
        "acte_nature": str(envoi.nature),
        "numero_de_lacte": envoi.numero,
        "objet": envoi.objet,
        "date_de_lacte": envoi.decision.isoformat(),
        "classification": envoi.matiere,
        "type_acte": envoi.pieces[0].code,
        "type_pj": json.dumps([piece.code for piece in envoi.pieces[1:]]),
        "type_piece": f"{len(envoi.pieces)} fichier(s) typé(s)",
        tdt_field: CHECKED,
    }


def typology_json(envoi: Envoi) -> bytes:
    """``type_piece.json``: each file and its typology, as Pastell writes ``type_piece_fichier``."""
    pieces = [
        {"filename": name, "typologie": piece.code}
        for name, piece in zip(file_names(envoi), envoi.pieces, strict=True)
    ]
    return json.dumps(pieces, ensure_ascii=False).encode("utf-8")


def ls_actes_json(envoi: Envoi) -> bytes:
    """The ``ls-actes`` metadata file (its ``metadonnees`` field): the flux, its fields, the files."""
    names = file_names(envoi)
    document = {
        "flux": LS_ACTES,
        "identifiant_acte": envoi.acte_id,
        "donnees": pastell_fields(envoi, tdt_field="envoi_tdt_actes"),
        "fichiers": {"arrete": names[:1], "autre_document_attache": names[1:]},
        "pieces": [
            {"fichier": name, "type_piece": piece.code, "role": piece.role, "titre": piece.title}
            for name, piece in zip(names, envoi.pieces, strict=True)
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def manifest_xml(envoi: Envoi) -> bytes:
    """``manifest.xml`` of the glaneur: ``<flux type>``, ``<data name value>`` per field,
    ``<files name>`` per file field."""
    root = etree.Element("flux", {"type": FLUX})
    for name, value in pastell_fields(envoi).items():
        etree.SubElement(root, "data", {"name": name, "value": value})
    names = file_names(envoi)
    for field, files in zip(FILE_FIELDS, (names[:1], names[1:], [TYPOLOGY]), strict=True):
        if files:
            group = etree.SubElement(root, "files", {"name": field})
            for file_name in files:
                etree.SubElement(group, "file", {"content": file_name})
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def glaneur_zip(envoi: Envoi) -> bytes:
    """The glaneur drop: the manifest, the acte and its annexes under their ACTES names, the
    typology file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_xml(envoi))
        for name, piece in zip(file_names(envoi), envoi.pieces, strict=True):
            archive.write(piece.path, name)
        archive.writestr(TYPOLOGY, typology_json(envoi))
    return buffer.getvalue()


def read_manifest(xml: bytes) -> dict[str, Any]:
    """A manifest read back (strictly), as Pastell's glaneur reads it: the flux from ``type``, the
    fields, and the file fields as lists of names."""
    root = parse_xml(xml)
    fields: dict[str, Any] = {str(item.get("name")): item.get("value") for item in root.iterfind("data")}
    for group in root.iterfind("files"):
        fields[str(group.get("name"))] = [item.get("content") for item in group.iterfind("file")]
    fields["flux"] = root.get("type")
    return fields
