"""The LibreOffice pool, for real: speed aside, it survives corrupt input, hangs, kills and exits cleanly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conventum import ConversionError, Converter, render, render_document
from conventum.pdf.converter import check_pdf
from conventum.settings import Settings, applied
from tests.support import ROOT, SAMPLES, needs_libreoffice

TYPE = "adhesion-centrale-achats"
SAMPLE = SAMPLES / f"{TYPE}.yaml"


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_document(TYPE, SAMPLE).content


def group_members(group: int) -> list[int]:
    """The live processes of a process group, read from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def soffice_bin(group: int) -> int:
    """The pid of the soffice.bin of a worker's process group."""
    for pid in group_members(group):
        if Path(f"/proc/{pid}/comm").read_text().strip() == "soffice.bin":
            return pid
    raise AssertionError(f"no soffice.bin in process group {group}")


def worker_folder(group: int) -> Path:
    """The temporary folder of a worker, from its helper's command line (the profile's parent)."""
    profile_url = Path(f"/proc/{group}/cmdline").read_bytes().split(b"\0")[3].decode()
    return Path(profile_url.removeprefix("file://")).parent


def wait_until_gone(groups: list[int], seconds: float = 10.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [group for group in groups if group_members(group)]
        if not left:
            return []
        time.sleep(0.1)
    return left


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@needs_libreoffice
def test_two_workers_convert_a_batch_in_order_and_leave_no_process(docx: bytes) -> None:
    with Converter(workers=2) as converter:
        groups = converter.processes
        assert len(groups) == 2
        results = converter.convert_many([docx, b"PK\x03\x04 not a docx", docx])
    assert [type(result).__name__ for result in results] == ["bytes", "ConversionError", "bytes"]
    assert pages(results[0]) == 5  # type: ignore[arg-type]
    assert wait_until_gone(groups, 2.0) == []


@needs_libreoffice
def test_corrupt_docx_is_a_clear_conversion_error_within_the_timeout() -> None:
    with Converter(workers=1, timeout=20) as converter:
        started = time.monotonic()
        with pytest.raises(ConversionError, match="n’a pas pu convertir"):
            converter.convert(b"PK\x03\x04" + os.urandom(2000))
        assert time.monotonic() - started < 20


@needs_libreoffice
def test_hung_conversion_is_killed_and_the_next_document_converts(docx: bytes) -> None:
    with Converter(workers=1) as converter:
        [group] = converter.processes
        with pytest.raises(ConversionError, match="temps imparti"):
            converter.convert(docx, timeout=0.01)
        assert wait_until_gone([group], 2.0) == []
        assert pages(converter.convert(docx)) == 5
        assert converter.processes != [group]


@needs_libreoffice
def test_killed_soffice_is_restarted_and_every_document_still_converts(docx: bytes) -> None:
    with Converter(workers=2) as converter:
        victim = converter.processes[0]
        killer = threading.Timer(0.2, lambda: os.kill(soffice_bin(victim), signal.SIGKILL))
        killer.start()
        results = converter.convert_many([docx] * 10)
        killer.join()
        assert all(isinstance(result, bytes) and pages(result) == 5 for result in results)
        assert victim not in converter.processes
        assert len(converter.processes) == 2


@needs_libreoffice
def test_worker_restarts_after_its_quota_of_documents(docx: bytes) -> None:
    with Converter(workers=1, restart_after=2) as converter:
        [first] = converter.processes
        converter.convert(docx)
        converter.convert(docx)
        assert converter.processes == []  # stopped after its 2 documents, restarted on demand
        converter.convert(docx)
        [second] = converter.processes
        assert second != first


@needs_libreoffice
def test_a_closed_converter_refuses_documents_without_starting_libreoffice(docx: bytes) -> None:
    with Converter(workers=1) as converter:
        [group] = converter.processes
    with pytest.raises(ConversionError, match="fermé"):
        converter.convert(docx)
    assert converter.processes == []
    assert wait_until_gone([group], 2.0) == []


@needs_libreoffice
def test_timeout_leaves_no_partial_pdf(tmp_path: Path) -> None:
    target = tmp_path / "convention.pdf"
    with Converter(workers=1, timeout=0.01) as converter, pytest.raises(ConversionError):
        render(TYPE, SAMPLE, target, converter=converter)
    assert list(tmp_path.iterdir()) == []


ENDINGS = {  # one worker each: what matters is that its processes end
    "ctrl-c": "with Converter(workers=1) as c:\n    report(c)\n    while True: c.convert(docx)",
    "exception": "with Converter(workers=1) as c:\n    report(c)\n    raise SystemExit(3)",
    "atexit": "c = Converter(workers=1)\nc.start()\nreport(c)\ntime.sleep(0.5)",
    "sigkill": "c = Converter(workers=1)\nc.start()\nreport(c)\ntime.sleep(60)",
}


@needs_libreoffice
@pytest.mark.parametrize("ending", ENDINGS)
def test_no_soffice_outlives_the_python_process(ending: str) -> None:
    script = (
        textwrap.dedent(
            """
        import sys, time
        from conventum import Converter, render_document
        from tests.test_converter import worker_folder
        docx = render_document("adhesion-centrale-achats", sys.argv[1]).content
        def report(c):
            print(*(f"{pid}:{worker_folder(pid)}" for pid in c.processes), flush=True)
        """
        )
        + ENDINGS[ending]
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(SAMPLE)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    workers = [item.split(":", 1) for item in child.stdout.readline().split()]
    assert len(workers) == 1
    groups, folders = [int(pid) for pid, _ in workers], [Path(folder) for _, folder in workers]
    if ending in ("ctrl-c", "sigkill"):
        time.sleep(0.5)
        child.send_signal(signal.SIGINT if ending == "ctrl-c" else signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert wait_until_gone(groups) == []
    assert not any(folder.exists() for folder in folders)  # profiles and documents removed


@needs_libreoffice
def test_python_without_uno_is_a_conversion_error_with_a_hint() -> None:
    no_uno = Settings(uno_python=sys.executable)  # the virtualenv's python has no uno
    with (
        applied(no_uno),
        pytest.raises(ConversionError, match="python3-uno") as failure,
        Converter(workers=1),
    ):
        pass
    assert "No module named 'uno'" in str(failure.value)


def empty_pdf() -> bytes:
    output = io.BytesIO()
    PdfWriter().write(output)
    return output.getvalue()


@pytest.mark.parametrize(
    ("pdf", "message"),
    [(b"", "aucun PDF"), (b"%PDF-1.7\nnot a pdf", "illisible"), (empty_pdf(), "aucune page")],
)
def test_output_that_is_not_a_usable_pdf_is_an_error(pdf: bytes, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        check_pdf(pdf)
