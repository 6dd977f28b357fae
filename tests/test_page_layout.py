"""The page a legal department signs and a citizen can read (issue 22).

Every type's PDF and a dossier: numbered pages ("Page 2 sur 6", per part in a dossier), PDF/UA
proved by the ``pdfua`` checker (0 errors) and by what it does not check (French language, an H1,
signature fields in the structure, a real title, the parapheur tags out of the reading text but
still in the page). Signature blocks never split, the closing section never stands alone, and
"DECIDE :" stays with article 1, also on large inputs. PDF renders are shared per module.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import Severity, validate
from pypdf import PdfReader

from conventum import Converter, render_document
from conventum.dossier import build_dossier
from conventum.geo import geography
from conventum.pdf.readback import letters
from conventum.pdf.signature_fields import Anchor, Signatory, split_blocks
from tests.support import SAMPLES, needs_libreoffice, sample

pytestmark = needs_libreoffice

SAMPLE_OF = {
    "adhesion-centrale-achats": "adhesion-centrale-achats",
    "services-numeriques": "services-numeriques",
    "plateforme-dematerialisation": "plateforme-dematerialisation",
    "groupement-commandes": "groupement-commandes",
    "deliberation": "deliberation-2023-338",
    "rapport": "rapport-2025-498",
}
PAGES = {
    "adhesion-centrale-achats": 5,
    "services-numeriques": 7,
    "plateforme-dematerialisation": 4,
    "groupement-commandes": 6,
    "deliberation": 2,
    "rapport": 2,
}
SIGNED = {"adhesion-centrale-achats": 2, "services-numeriques": 3, "plateforme-dematerialisation": 2}
FOOTER = re.compile(r"Page (\d+) sur (\d+)")
TAG = "#signature"
EMPTY_HEADING = "UA-14-001"


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    with Converter(workers=2) as started:
        yield started


@pytest.fixture(scope="module")
def pdfs(converter: Converter) -> dict[str, bytes]:
    return {
        name: render_document(name, SAMPLES / f"{data}.yaml", fmt="pdf", converter=converter).content
        for name, data in SAMPLE_OF.items()
    }


@pytest.fixture(scope="module")
def dossier(converter: Converter) -> Any:
    return build_dossier(SAMPLES / "dossier-2023-338.yaml", converter=converter)


def communes(count: int) -> list[Any]:
    """Real communes of the Pas-de-Calais with a name of their own (the geography checks them)."""
    geo = geography()
    found = sorted(
        (c for c in geo.communes_of_departement("62") if len(geo.communes_named(c.nom)) == 1),
        key=lambda c: c.nom,
    )
    return found[:count]


def groupement(members: int, *, long_name: str | None = None) -> dict[str, Any]:
    """The groupement sample with the Région as coordonnateur and ``members`` - 1 communes."""
    data = sample("groupement-commandes")
    region = copy.deepcopy(data["parties"][-1])
    parties = []
    for number, commune in enumerate(communes(members - 1)):
        parties.append(
            {
                "role": "membre",
                "nature": "commune",
                "nom": commune.nom,
                "adresse": {
                    "voie": "Place de la Mairie",
                    "code_postal": commune.codes_postaux[0],
                    "commune": commune.nom,
                },
                "representant": {
                    "civilite": "Madame" if number % 2 else "Monsieur",
                    "prenom": "Camille",
                    "nom": f"Maire-{commune.nom}",
                    "qualite": "maire",
                },
            }
        )
    if long_name is not None:
        agency = copy.deepcopy(sample("groupement-commandes")["parties"][5])
        agency["nom"] = long_name
        parties[len(parties) // 2] = agency
    data["parties"] = [*parties, region]
    return data


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def reading_text(pdf: bytes) -> str:
    """The text a screen reader reads: every text drawn outside an /Artifact sequence."""
    parts: list[str] = []
    depth: list[bool] = []  # one entry per open marked sequence: is it an artifact?

    def before(operator: bytes, operands: Any, *_: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            depth.append(bool(operands) and operands[0] == "/Artifact")
        elif operator == b"EMC" and depth:
            depth.pop()

    def text(chunk: str, *_: Any) -> None:
        if not any(depth):
            parts.append(chunk)

    for page in read(pdf).pages:
        depth.clear()
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(parts)


def structure_roles(document: pikepdf.Pdf) -> list[str]:
    """Every structure element's role, depth first; a heading without content fails (PDF/UA 7.4)."""
    roles: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for item in node:
                walk(item)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                roles.append(str(node.S))
                if re.fullmatch(r"/H\d", str(node.S)):
                    kids = node.get("/K")
                    assert kids is not None and (not isinstance(kids, pikepdf.Array) or len(kids) > 0)
            if "/K" in node:
                walk(node.K)

    walk(document.Root.StructTreeRoot.get("/K"))
    return roles


def pdfua_errors(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    report = validate(str(path))
    # A rule that could not read the file proves nothing. pdfua 0.1.3's empty-heading rule asks an
    # array for an attribute, which pikepdf 10 answers with ValueError: headings are checked below.
    skipped = [o.rule_id for o in report.outcomes if o.skipped_reason and o.rule_id != EMPTY_HEADING]
    assert not skipped, skipped
    return [f"{f.rule_id}: {f.message}" for f in report.findings if f.severity == Severity.ERROR]


def assert_accessible(pdf: bytes, tmp_path: Path, *, fields: int) -> None:
    """What the issue asks of every PDF, by the checker and by pikepdf."""
    assert pdfua_errors(pdf, tmp_path) == []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert str(root.Lang).startswith("fr")
        assert root.MarkInfo.Marked
        assert root.ViewerPreferences.DisplayDocTitle
        roles = structure_roles(document)
        assert "/H1" in roles
        assert "/Table" not in roles or "/TH" in roles  # data tables have headers, layout ones are none
        title = str(document.docinfo["/Title"])
        assert " " in title and title.lower() not in SAMPLE_OF  # a sentence, not a slug
        assert b"pdfuaid:part>1<" in root.Metadata.read_bytes()
        widgets = [
            (page, annotation)
            for page in document.pages
            for annotation in page.obj.get("/Annots") or []
            if annotation.get("/Subtype") == "/Widget"
        ]
        assert len(widgets) == fields
        parents = _parent_tree(root.StructTreeRoot)
        for page, widget in widgets:
            assert page.obj.Tabs == "/S"
            element = parents[int(widget.StructParent)]
            assert element.S == "/Form"
            assert element.K.Obj.objgen == widget.objgen
            assert str(widget.TU).startswith("Signature de ")
    # The parapheur's tags are on the page (i-Parapheur reads every text drawn), out of the reading.
    assert TAG not in reading_text(pdf)
    assert ("".join(page_texts(pdf)).count(TAG) >= fields) if fields else True


def _parent_tree(structure: Any) -> dict[int, Any]:
    found: dict[int, Any] = {}

    def visit(node: Any) -> None:
        nums = node.get("/Nums") or []
        for index in range(0, len(nums) - 1, 2):
            found[int(nums[index])] = nums[index + 1]
        for kid in node.get("/Kids") or []:
            visit(kid)

    visit(structure.ParentTree)
    return found


def assert_numbered(texts: list[str]) -> None:
    """Each page carries "Page i sur n", n the page count."""
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} sur {len(texts)}" in text, (number, text[-200:])


def page_of(texts: list[str], needle: str, start: int = 0) -> int:
    key = letters(needle)
    return next(index for index in range(start, len(texts)) if key in letters(texts[index]))


def assert_blocks_whole(pdf: bytes, context: dict[str, Any]) -> None:
    """For every signatory, its "Pour …" line and its name on one page; the closing section with
    at least a line of the text before it."""
    texts = page_texts(pdf)
    closing = page_of(texts, "Fait ")
    before_closing = texts[closing].split("Fait ")[0]
    assert letters(FOOTER.sub("", before_closing)), f"page {closing + 1} ne porte que la clôture"
    for party in context["parties"]:
        pour = page_of(texts, f"Pour {party['designation']}", closing)
        name = page_of(texts, party["representant"]["prenom_nom"], closing)
        assert pour == name, (party["designation"], pour + 1, name + 1)


@pytest.mark.parametrize("name", sorted(SAMPLE_OF))
def test_every_type_is_numbered_and_accessible(name: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    texts = page_texts(pdfs[name])
    assert len(texts) == PAGES[name]
    assert_numbered(texts)
    fields = SIGNED.get(name, 10 if name == "groupement-commandes" else 0)
    assert_accessible(pdfs[name], tmp_path, fields=fields)


def test_every_signature_tag_is_numbered_where_several_sign(pdfs: dict[str, bytes]) -> None:
    for name, count in {**SIGNED, "groupement-commandes": 10}.items():
        text = "".join(page_texts(pdfs[name]))
        assert re.findall(r"#signature(\d+)#", text) == [str(n) for n in range(1, count + 1)], name


def test_the_dossier_is_numbered_per_part_and_accessible(dossier: Any, tmp_path: Path) -> None:
    texts = page_texts(dossier.pdf)
    sizes = [len(read(part.content).pages) for part in dossier.parts]
    assert len(texts) == sum(sizes)
    start = 0
    for size in sizes:  # each part numbered on its own: "Page 1 sur 2" of the délibération…
        assert_numbered(texts[start : start + size])
        start += size
    assert_accessible(dossier.pdf, tmp_path, fields=2)
    with pikepdf.open(io.BytesIO(dossier.pdf)) as document:
        assert structure_roles(document).count("/Document") == 1
        assert structure_roles(document).count("/H1") >= len(dossier.parts)  # every part's structure kept


def test_thirty_members_sign_in_whole_blocks(converter: Converter, tmp_path: Path) -> None:
    document = render_document("groupement-commandes", groupement(30), fmt="pdf", converter=converter)
    assert_blocks_whole(document.content, document.context)
    assert_numbered(page_texts(document.content))
    assert_accessible(document.content, tmp_path, fields=30)


def test_sixty_members_and_a_300_character_name_keep_the_rules(converter: Converter, tmp_path: Path) -> None:
    long_name = ("Intercommunale pour la mutualisation des services numériques " * 6)[:300].strip()
    data = groupement(60, long_name=long_name)
    document = render_document("groupement-commandes", data, fmt="pdf", converter=converter)
    assert_blocks_whole(document.content, document.context)
    assert_numbered(page_texts(document.content))
    assert_accessible(document.content, tmp_path, fields=60)


def test_a_split_block_is_a_warning_naming_the_rule() -> None:
    anchors = [Anchor(4, 100.0, 200.0, 1), Anchor(5, 100.0, 700.0, 2)]
    signatories = [
        Signatory("Commune d’Arras", "Signature de …", "Frédéric LETURQUE"),
        Signatory("Commune de Lens", "Signature de …", "Sylvain ROBERT"),
    ]
    texts = {4: "Pour la Commune d’Arras Le Maire, Frédéric LETURQUE #signature1#", 5: "#signature2#"}
    (problem,) = split_blocks(texts, anchors, signatories)
    assert "un bloc de signature ne se coupe pas" in problem
    assert "Commune de Lens" in problem and "page 6" in problem


def deliberation(articles: int, extra_vus: int) -> dict[str, Any]:
    data = sample("deliberation-2023-338")
    data["visas"] = [
        *data["visas"],
        *(f"la délibération n°2023-{n} du Conseil départemental ;" for n in range(extra_vus)),
    ]
    data["articles"] = [
        f"De prendre acte de la disposition n°{n} de la présente délibération." for n in range(articles)
    ]
    return data


@pytest.mark.parametrize("extra_vus", [0, 33, 34])
def test_decide_stays_with_article_1(extra_vus: int, converter: Converter, tmp_path: Path) -> None:
    # 33 more "Vu" lines bring "DECIDE :" to the foot of page 2 with article 1 just fitting under it;
    # with 34, article 1 goes to page 3 and "DECIDE :" with it (measured with the installed fonts).
    document = render_document("deliberation", deliberation(40, extra_vus), fmt="pdf", converter=converter)
    texts = page_texts(document.content)
    decide = page_of(texts, "DECIDE")
    assert re.search(r"Article 1\s*:", texts[decide]), texts[decide][-300:]
    assert_numbered(texts)
    assert_accessible(document.content, tmp_path, fields=0)


def test_a_budget_table_does_not_break_a_long_word(converter: Converter) -> None:
    data = sample("rapport-2025-498")
    data["imputations"][0]["libelle"] = "Télécommunications"
    document = render_document("rapport", data, fmt="pdf", converter=converter)
    assert "Télécommunications" in "".join(page_texts(document.content))
