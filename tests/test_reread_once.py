"""The read-back of a written DOCX stays a real check while it no longer inflates and parses the
template's unchanged parts for every document: they are checked once, when the template is
prepared; a filled part when it is rendered; the written zip still reads back."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conventum import build_context, load_type, validate
from conventum.errors import OutputError, TemplateError
from conventum.ooxml import reread
from conventum.output import write_atomic
from conventum.rendering.prepared import PreparedTemplate
from tests.support import sample

TYPE = "adhesion-centrale-achats"


def _context(data: dict[str, object]) -> dict[str, object]:
    ctype = load_type(TYPE)
    result = validate(ctype, data)
    assert result.convention is not None
    return build_context(ctype, result.convention)


def _rezipped(source: Path, target: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info, change(info.filename, original.read(info)))
    return target


def _damaged_member(data: bytes, name: str) -> bytes:
    """The zip with one byte of a member's compressed data changed (a disk or copy fault)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26 : header + 28], "little")
    start += int.from_bytes(data[header + 28 : header + 30], "little")
    middle = start + info.compress_size // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _problem_as_before(data: bytes) -> str | None:
    """What the read-back said before parts were trusted: every part inflated and parsed."""
    saved = dict(reread._TEMPLATE_PARTS), dict(reread._FILLED_PARTS)
    reread._TEMPLATE_PARTS.clear()
    reread._FILLED_PARTS.clear()
    try:
        return reread.docx_problem(data)
    finally:
        reread._TEMPLATE_PARTS.update(saved[0])
        reread._FILLED_PARTS.update(saved[1])


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return PreparedTemplate(load_type(TYPE).template_path).render(_context(sample(TYPE)))


def test_a_template_whose_unchanged_part_is_not_well_formed_is_refused_when_prepared(tmp_path: Path) -> None:
    template = _rezipped(
        load_type(TYPE).template_path,
        tmp_path / "styles-casses.docx",
        lambda name, data: data[: len(data) // 2] if name == "word/styles.xml" else data,
    )
    with pytest.raises(
        TemplateError, match=r"styles-casses\.docx refusé : XML illisible dans word/styles\.xml"
    ):
        PreparedTemplate(template)


def test_a_template_whose_unchanged_part_is_corrupt_is_refused_when_prepared(tmp_path: Path) -> None:
    template = tmp_path / "crc.docx"
    template.write_bytes(_damaged_member(load_type(TYPE).template_path.read_bytes(), "word/styles.xml"))
    with pytest.raises(TemplateError, match=r"crc\.docx refusé : partie word/styles\.xml"):
        PreparedTemplate(template)


def test_a_whole_template_has_its_unchanged_parts_skipped_by_the_read_back(rendered: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        skipped = [
            info.filename for info in archive.infolist() if reread._checked_before(memoryview(rendered), info)
        ]
    assert "word/styles.xml" in skipped and "word/document.xml" in skipped
    assert reread.docx_problem(rendered) is None


def test_a_filled_part_that_would_be_malformed_is_refused_before_writing() -> None:
    data = sample(TYPE)
    data["parties"][0]["nom"] = "Car\x01vin"  # a control character XML does not allow
    context = _context(data)
    prepared = PreparedTemplate(load_type(TYPE).template_path)
    trusted = dict(reread._FILLED_PARTS)
    with pytest.raises(TemplateError, match=r"XML invalide dans word/document\.xml"):
        prepared.render(context)
    assert trusted == reread._FILLED_PARTS  # nothing of the refused document is vouched for


@pytest.mark.parametrize("part", ["word/styles.xml", "word/document.xml"])
def test_a_written_file_whose_zip_is_damaged_is_refused_as_before(
    rendered: bytes, tmp_path: Path, part: str
) -> None:
    damaged = _damaged_member(rendered, part)
    expected = _problem_as_before(damaged)
    assert expected is not None and expected.startswith("archive illisible")
    target = tmp_path / "convention.docx"
    with pytest.raises(OutputError) as refused:
        write_atomic(target, damaged)
    assert refused.value.message == f"document convention.docx refusé à la relecture : {expected}"
    assert list(tmp_path.iterdir()) == []


def test_a_cut_or_reordered_written_file_is_refused_as_before(rendered: bytes, tmp_path: Path) -> None:
    for damaged in (rendered[: len(rendered) - 40], rendered[:100] + rendered[101:]):
        expected = _problem_as_before(damaged)
        assert expected is not None
        with pytest.raises(OutputError, match="refusé à la relecture"):
            write_atomic(tmp_path / "convention.docx", damaged)
        assert reread.docx_problem(damaged) == expected
    assert list(tmp_path.iterdir()) == []


def test_a_trusted_part_replaced_by_other_bytes_is_read_and_parsed_again(tmp_path: Path) -> None:
    template = tmp_path / "modele.docx"
    shutil.copy(load_type(TYPE).template_path, template)
    PreparedTemplate(template)  # trusts its styles
    other = _rezipped(
        template,
        tmp_path / "autre.docx",
        lambda name, data: b"<w:styles>" if name == "word/styles.xml" else data,
    )
    assert reread.docx_problem(other.read_bytes()) == "XML illisible dans word/styles.xml"
