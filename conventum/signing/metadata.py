"""The incremental update that carries a signature, with the Info dictionary and the XMP packet
agreeing (PDF/A): the same Producer and modification date in both, the XMP's own schemas kept."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from lxml import etree
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from conventum.ooxml.xml import parse_xml

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
SET_HERE = {f"{{{NS['pdf']}}}Producer", f"{{{NS['xmp']}}}ModifyDate", f"{{{NS['xmp']}}}MetadataDate"}
PACKET_START = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
PACKET_END = b'\n<?xpacket end="w"?>'


def signing_producer(previous: str) -> str:
    """The producer after signing: the one before, then conventum (pyHanko) — once."""
    mark = f"conventum {version('conventum')} (pyHanko {version('pyhanko')})"
    if "conventum" in previous and "pyHanko" in previous:
        return previous
    return f"{previous}; {mark}" if previous else mark


class SigningWriter(IncrementalPdfFileWriter):
    """pyHanko's incremental writer, with conventum's metadata update instead of pyHanko's (which
    rewrites the XMP with namespaces PDFBox does not read as schemas, and a Producer the Info
    dictionary does not have)."""

    def _update_meta(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        reference = self._info
        info = reference.get_object() if reference is not None else None
        previous = str(info.get("/Producer", "")) if info is not None else ""
        producer = signing_producer(previous)
        if reference is not None and info is not None:
            info[generic.pdf_name("/Producer")] = generic.TextStringObject(producer)
            info[generic.pdf_name("/ModDate")] = generic.pdf_date(now)
            self.mark_update(reference)
        if "/Metadata" not in self.root:
            return
        stream: Any = self.root["/Metadata"]
        packet = updated_packet(stream.data, producer, now)
        stream._data, stream._encoded_data, stream._xmp = packet, None, None  # pyHanko has no setter
        for key in ("/Filter", "/DecodeParms"):
            stream.pop(generic.pdf_name(key), None)
        self.update_container(stream)


def updated_packet(packet: bytes, producer: str, when: datetime) -> bytes:
    """The XMP packet with pdf:Producer, xmp:ModifyDate and xmp:MetadataDate set, all else kept."""
    body = packet.strip()
    if body.startswith(b"<?xpacket"):
        body = body.split(b"?>", 1)[1]
    body = body.rsplit(b"<?xpacket", 1)[0].strip()
    root = parse_xml(body)
    rdf = root if root.tag == _tag("rdf", "RDF") else root.find("rdf:RDF", NS)
    if rdf is None:
        return packet
    for description in rdf.findall("rdf:Description", NS):
        for child in list(description):
            if child.tag in SET_HERE:
                description.remove(child)
        for attribute in list(description.attrib):
            if attribute in SET_HERE:
                del description.attrib[attribute]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    pdf = etree.SubElement(rdf, _tag("rdf", "Description"), nsmap={"pdf": NS["pdf"]})
    pdf.set(_tag("rdf", "about"), "")
    etree.SubElement(pdf, _tag("pdf", "Producer")).text = producer
    xmp = etree.SubElement(rdf, _tag("rdf", "Description"), nsmap={"xmp": NS["xmp"]})
    xmp.set(_tag("rdf", "about"), "")
    etree.SubElement(xmp, _tag("xmp", "ModifyDate")).text = stamp
    etree.SubElement(xmp, _tag("xmp", "MetadataDate")).text = stamp
    return PACKET_START + etree.tostring(root, encoding="utf-8") + PACKET_END


def _tag(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"
