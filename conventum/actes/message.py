"""The ACTES message of an envoi: the ``Acte`` element (DonneesActe) with its ``Document`` and
``Annexes`` named by the ACTES rule, validated against the Ministère de l'Intérieur's schema."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from conventum.actes.classification import NS
from conventum.actes.envoi import Envoi
from conventum.errors import TemplateError

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@cache
def actes_schema() -> etree.XMLSchema:
    """``actesv1_1.xsd`` with its imports (siret.xsd, insee-commun.xsd), shipped in the package."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.parse(str(SCHEMAS / "actesv1_1.xsd"), parser)
    return etree.XMLSchema(document)


def file_names(envoi: Envoi) -> list[str]:
    """The ACTES name of each piece, in order: the acte (rank 1), then its annexes (2, 3…)."""
    return [envoi.file_name(rank, piece.code) for rank, piece in enumerate(envoi.pieces, start=1)]


def message_name(envoi: Envoi) -> str:
    """The name of the message itself (rank 0): ``062-226200012-20231002-2023_338-CC-1-1_0.xml``."""
    return envoi.file_name(0, "", "xml")


def acte_message(envoi: Envoi) -> bytes:
    """The ``Acte`` XML of the envoi (UTF-8), checked against the ACTES schema."""
    attribute = f"{{{NS}}}"
    root = etree.Element(
        f"{attribute}Acte",
        {
            f"{attribute}Date": envoi.decision.isoformat(),
            f"{attribute}NumeroInterne": envoi.numero,
            f"{attribute}CodeNatureActe": str(envoi.nature),
        },
        nsmap={"actes": NS},
    )
    for level, code in enumerate(envoi.matiere_codes, start=1):
        etree.SubElement(root, f"{attribute}CodeMatiere{level}", {f"{attribute}CodeMatiere": str(code)})
    etree.SubElement(root, f"{attribute}Objet").text = envoi.objet
    version = envoi.classification_date or envoi.decision
    etree.SubElement(root, f"{attribute}ClassificationDateVersion").text = version.isoformat()
    names = file_names(envoi)
    document = etree.SubElement(root, f"{attribute}Document")
    etree.SubElement(document, f"{attribute}NomFichier").text = names[0]
    annexes = etree.SubElement(root, f"{attribute}Annexes", {f"{attribute}Nombre": str(len(names) - 1)})
    for name in names[1:]:
        annexe = etree.SubElement(annexes, f"{attribute}Annexe")
        etree.SubElement(annexe, f"{attribute}NomFichier").text = name
    etree.SubElement(root, f"{attribute}DocumentPapier").text = "N"
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check_message(xml)
    return xml


def check_message(xml: bytes) -> None:
    """TemplateError naming the schema's complaint when the message is not a valid ACTES message."""
    schema = actes_schema()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.fromstring(xml, parser)
    if not schema.validate(document):
        first = schema.error_log[0]  # type: ignore[index]
        raise TemplateError(f"message ACTES refusé par actesv1_1.xsd : ligne {first.line} : {first.message}")
