"""PDF finishing with pikepdf: metadata (and PDF/A XMP), annexes appended, outline, signature fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pikepdf import OutlineItem, Pdf, String

from conventum.french.formatting import join_words
from conventum.french.grammar import capitalise
from conventum.model.catalogue import ConventionType
from conventum.ooxml.coreprops import type_keywords
from conventum.ooxml.xml import parse_xml
from conventum.pdf.signature_fields import Signatory, add_signature_fields
from conventum.pdf.tagging import append_tagged, make_accessible, open_pdf, to_bytes

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "x": "adobe:ns:meta/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
# PDF/A allows in XMP only the schemas it predefines, or those the packet describes: the PDF/UA
# identification (pdfuaid:part) is described by this extension schema (ISO 14289-1, 5).
PDFUA_EXTENSION = f"""<rdf:Description xmlns:rdf="{NS["rdf"]}" rdf:about=""
  xmlns:pdfaExtension="{NS["pdfaExtension"]}" xmlns:pdfaSchema="{NS["pdfaSchema"]}"
  xmlns:pdfaProperty="{NS["pdfaProperty"]}"><pdfaExtension:schemas><rdf:Bag>
 <rdf:li rdf:parseType="Resource">
  <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
  <pdfaSchema:namespaceURI>{NS["pdfuaid"]}</pdfaSchema:namespaceURI>
  <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
  <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
   <pdfaProperty:name>part</pdfaProperty:name>
   <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
   <pdfaProperty:category>internal</pdfaProperty:category>
   <pdfaProperty:description>The part of ISO 14289 followed</pdfaProperty:description>
  </rdf:li></rdf:Seq></pdfaSchema:property>
 </rdf:li>
</rdf:Bag></pdfaExtension:schemas></rdf:Description>"""
REPLACED = {f"{{{NS[p]}}}{n}" for p, n in (("dc", "title"), ("dc", "creator"), ("dc", "description"))} | {
    f"{{{NS['pdf']}}}{n}" for n in ("Keywords", "Producer")
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class PdfInfo:
    """The document information: title, author (issuing body), subject (parties), keywords (type and
    version: ``NAME@V``)."""

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
        title=document_title(ctype, context),
        author=ctype.issuer or "",
        subject=capitalise(join_words([party["denomination"] for party in parties])),
        keywords=type_keywords(ctype.name, ctype.version),  # the type and version that made it
    )
    return Finish(info, annexes, [signatory(party) for party in parties])


# Beyond this many parties, a title names the first and counts the others.
TITLE_PARTIES = 2


def document_title(ctype: ConventionType, context: Mapping[str, Any]) -> str:
    """The PDF's title, from the data: the type's title, then whom it concerns.

    A convention names its parties other than those of the type's first role (the centrale, the
    coordonnateur…): "Convention d’adhésion … — Commune du Portel"; past two, the first and a count
    ("— Département de l’Aisne et 9 autres membres"). A délibération or a rapport names its objet.
    """
    parties = list(context.get("parties") or [])
    first_role = ctype.roles[0].role if ctype.roles else None
    others = [party for party in parties if party.get("role") != first_role] or parties
    names = [capitalise(str(party.get("sans_article") or party["denomination"])) for party in others]
    if len(names) > TITLE_PARTIES:
        concerned = f"{names[0]} et {len(names) - 1} autres membres"
    elif names:
        concerned = join_words(names)
    else:
        concerned = capitalise(str(context.get("objet") or "").strip())
    return f"{ctype.titre} — {concerned}" if concerned else ctype.titre


def signatory(party: Mapping[str, Any]) -> Signatory:
    """The signature field of a party: named after it, the signer in the tooltip."""
    name = str(party["sans_article"]).replace(".", "")
    person = party["representant"]
    return Signatory(
        name,
        f"Signature de {person['nom_complet']}, {person['qualite']} ({party['denomination']})",
        str(person.get("prenom_nom") or ""),
    )


def finish_pdf(pdf: bytes, finish: Finish) -> bytes:
    """The convention's PDF with its signature fields, metadata, accessibility (tagging.py),
    annexes (their structure kept) and outline: one pikepdf document, opened and saved once."""
    document = open_pdf(pdf, what="le PDF de la convention")
    add_signature_fields(document, finish.signatories, pdf)
    set_metadata(document, finish.info)
    make_accessible(document)
    with document.open_outline() as outline:
        # The document's title first, LibreOffice's bookmarks of its headings under it.
        top = OutlineItem(finish.info.title, 0)
        top.children.extend(outline.root)
        outline.root.clear()
        outline.root.append(top)
        for annex in sorted(finish.annexes, key=lambda item: item.numero):
            start = append_tagged(document, open_pdf(annex.pdf, what=f"l’annexe n°{annex.numero}"))
            outline.root.append(OutlineItem(f"Annexe {annex.numero} – {annex.titre}", start))
    return to_bytes(document)


def set_metadata(document: Pdf, info: PdfInfo) -> None:
    """The information dictionary, and the XMP packet when there is one (PDF/A: both must agree)."""
    producer = str(document.docinfo.get("/Producer", "LibreOffice"))
    for key, value in (
        ("/Title", info.title),
        ("/Author", info.author),
        ("/Subject", info.subject),
        ("/Keywords", info.keywords),
        ("/Producer", producer),
    ):
        document.docinfo[key] = String(value)
    stream = document.Root.get("/Metadata")
    if stream is not None:
        stream.write(updated_xmp(stream.read_bytes(), info, producer))


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
    describe_pdfua(rdf)
    body = etree.tostring(root, encoding="utf-8")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + b'\n<?xpacket end="w"?>'
    )


def describe_pdfua(rdf: Any) -> None:
    """The PDF/UA identification's extension schema, when the packet identifies PDF/UA and does not
    describe it yet (LibreOffice writes pdfuaid:part without it: PDF/A-1b refuses the packet)."""
    identified = rdf.find("rdf:Description/pdfuaid:part", NS) is not None
    described = any(uri.text == NS["pdfuaid"] for uri in rdf.iter(_tag("pdfaSchema", "namespaceURI")))
    if identified and not described:
        rdf.append(parse_xml(PDFUA_EXTENSION.encode()))


def _alt(parent: Any, name: str, text: str) -> None:
    alt = etree.SubElement(etree.SubElement(parent, _tag("dc", name)), _tag("rdf", "Alt"))
    item = etree.SubElement(alt, _tag("rdf", "li"))
    item.set(XML_LANG, "x-default")
    item.text = text


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"
