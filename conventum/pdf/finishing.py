"""PDF finishing with pypdf: metadata (and PDF/A XMP), annexes appended, outline, signature fields."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pypdf import PdfWriter

from conventum.french.formatting import join_words
from conventum.french.grammar import capitalise
from conventum.model.catalogue import ConventionType
from conventum.ooxml.xml import parse_xml
from conventum.pdf.pdfio import read_pdf
from conventum.pdf.signature_fields import Signatory, add_signature_fields

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "x": "adobe:ns:meta/",
}
REPLACED = {f"{{{NS[p]}}}{n}" for p, n in (("dc", "title"), ("dc", "creator"), ("dc", "description"))} | {
    f"{{{NS['pdf']}}}{n}" for n in ("Keywords", "Producer")
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class PdfInfo:
    """The document information: title, author (issuing body), subject (parties), keywords (type)."""

    title: str
    author: str
    subject: str
    keywords: str


@dataclass(frozen=True)
class AnnexPdf:
    """An annex ready to append: its number, its title and its PDF."""

    numero: int
    titre: str
    pdf: bytes


@dataclass(frozen=True)
class Finish:
    """Everything finishing adds to the PDF LibreOffice wrote."""

    info: PdfInfo
    annexes: Sequence[AnnexPdf] = ()
    signatories: Sequence[Signatory] = field(default_factory=tuple)


def finish_for(ctype: ConventionType, context: Mapping[str, Any], annexes: Sequence[AnnexPdf] = ()) -> Finish:
    """The finishing of a convention, from its type and its template context."""
    parties = context.get("parties") or []
    info = PdfInfo(
        title=ctype.titre,
        author=ctype.issuer or "",
        subject=capitalise(join_words([party["denomination"] for party in parties])),
        keywords=ctype.name,
    )
    return Finish(info, annexes, [signatory(party) for party in parties])


def signatory(party: Mapping[str, Any]) -> Signatory:
    """The signature field of a party: named after it, the signer in the tooltip."""
    name = str(party["sans_article"]).replace(".", "")
    person = party["representant"]
    return Signatory(
        name, f"Signature de {person['nom_complet']}, {person['qualite']} ({party['denomination']})"
    )


def finish_pdf(pdf: bytes, finish: Finish) -> bytes:
    """The convention's PDF with its signature fields, annexes, outline and metadata."""
    writer = PdfWriter(clone_from=read_pdf(pdf, what="le PDF de la convention"))
    add_signature_fields(writer, finish.signatories)
    writer.add_outline_item(title=finish.info.title, page_number=0)
    for annex in sorted(finish.annexes, key=lambda item: item.numero):
        start = len(writer.pages)
        writer.append(read_pdf(annex.pdf, what=f"l’annexe n°{annex.numero}"), import_outline=False)
        writer.add_outline_item(title=f"Annexe {annex.numero} – {annex.titre}", page_number=start)
    set_metadata(writer, finish.info)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def set_metadata(writer: PdfWriter, info: PdfInfo) -> None:
    """The information dictionary, and the XMP packet when there is one (PDF/A: both must agree)."""
    producer = writer.metadata.get("/Producer", "LibreOffice") if writer.metadata else "LibreOffice"
    writer.add_metadata(
        {
            "/Title": info.title,
            "/Author": info.author,
            "/Subject": info.subject,
            "/Keywords": info.keywords,
            "/Producer": str(producer),
        }
    )
    stream = writer.root_object.get("/Metadata")
    if stream is not None:
        stream = stream.get_object()
        stream.set_data(updated_xmp(stream.get_data(), info, str(producer)))


def updated_xmp(packet: bytes, info: PdfInfo, producer: str) -> bytes:
    """The XMP packet with dc:title, dc:creator, dc:description and pdf:Keywords set to the info."""
    root = parse_xml(packet.strip().split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    rdf = root.find("rdf:RDF", NS)
    assert rdf is not None
    for description in rdf.findall("rdf:Description", NS):
        for child in list(description):
            if child.tag in REPLACED:
                description.remove(child)
        if len(description) == 0:
            rdf.remove(description)
    dc = etree.SubElement(rdf, _tag("rdf", "Description"), nsmap={"dc": NS["dc"]})
    dc.set(_tag("rdf", "about"), "")
    _alt(dc, "title", info.title)
    _alt(dc, "description", info.subject)
    creator = etree.SubElement(etree.SubElement(dc, _tag("dc", "creator")), _tag("rdf", "Seq"))
    etree.SubElement(creator, _tag("rdf", "li")).text = info.author
    pdf = etree.SubElement(rdf, _tag("rdf", "Description"), nsmap={"pdf": NS["pdf"]})
    pdf.set(_tag("rdf", "about"), "")
    etree.SubElement(pdf, _tag("pdf", "Keywords")).text = info.keywords
    etree.SubElement(pdf, _tag("pdf", "Producer")).text = producer
    body = etree.tostring(root, encoding="utf-8")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + b'\n<?xpacket end="w"?>'
    )


def _alt(parent: Any, name: str, text: str) -> None:
    alt = etree.SubElement(etree.SubElement(parent, _tag("dc", name)), _tag("rdf", "Alt"))
    item = etree.SubElement(alt, _tag("rdf", "li"))
    item.set(XML_LANG, "x-default")
    item.text = text


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"
