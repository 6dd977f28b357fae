"""LibreOffice helper, run by the system python that has UNO: converts files on request.

Started by ``conventum.pdf.lobridge.worker`` as ``/usr/bin/python3 helper.py SOFFICE PROFILE_URL``,
the profile inside the worker's own temporary folder.
It starts soffice (same process group), connects to it over a named pipe, prints
``{"ready": true}``, then reads one JSON request per line on stdin
(``{"input": path, "output": path, "pdfa": bool}``) and answers one JSON line on stdout
(``{"ok": true}`` or ``{"ok": false, "error": text}``). When stdin closes, when soffice
dies or the bridge is lost, it kills its whole process group: nothing outlives it.
This file imports nothing from conventum: it runs outside the project's virtualenv.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60.0
DOCX_FILTER = "MS Word 2007 XML"


def start_soffice(soffice: str, profile_url: str, pipe: str) -> subprocess.Popen[bytes]:
    """soffice headless, listening on a named pipe, in this helper's process group."""
    command = [
        soffice,
        f"-env:UserInstallation={profile_url}",
        f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        "--headless",
        "--invisible",
        "--nologo",
        "--nodefault",
        "--norestore",
        "--nolockcheck",
    ]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=sys.stderr)


def connect(pipe: str, soffice: subprocess.Popen[bytes]) -> Any:
    """The desktop of the soffice listening on the pipe, retried until it answers."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if soffice.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def properties(**values: Any) -> tuple[Any, ...]:
    """UNO PropertyValues from keyword arguments."""
    result = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name = name
        item.Value = value
        result.append(item)
    return tuple(result)


def export_filter_data(pdfa: bool | int) -> Any:
    """The writer_pdf_Export FilterData: a tagged, accessible PDF (PDF/UA: structure, headings,
    document title shown, language), as PDF/A-1b or 2b (SelectPdfVersion 1 or 2) when asked
    (``true``, from an older caller, is 2)."""
    version = 2 if pdfa is True else int(pdfa or 0)
    data = properties(
        SelectPdfVersion=version,
        UseTaggedPDF=True,
        PDFUACompliance=True,
        ExportBookmarks=True,
        DisplayPDFDocumentTitle=True,
        ExportFormFields=False,
    )
    return uno.Any("[]com.sun.star.beans.PropertyValue", data)


def convert(desktop: Any, request: dict[str, Any]) -> None:
    """Load the DOCX hidden and read-only, store it as PDF, close it."""
    source = uno.systemPathToFileUrl(request["input"])
    target = uno.systemPathToFileUrl(request["output"])
    load = properties(Hidden=True, ReadOnly=True, FilterName=DOCX_FILTER, UpdateDocMode=0)
    document = desktop.loadComponentFromURL(source, "_blank", 0, load)
    if document is None:
        raise ValueError("document illisible")
    try:
        store = properties(FilterName="writer_pdf_Export", FilterData=export_filter_data(request["pdfa"]))
        document.storeToURL(target, store)
    finally:
        document.close(True)


def is_bridge_loss(desktop: Any, exc: Exception) -> bool:
    """True when soffice went away (crash, kill): the helper cannot go on."""
    if type(exc).__name__ == "DisposedException" or "Binary URP bridge" in str(exc):
        return True
    try:
        desktop.getFrames()  # a cheap call that fails when the bridge is gone
    except Exception:
        return True
    return False


def answer(reply: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def serve(desktop: Any, soffice: subprocess.Popen[bytes]) -> bool:
    """One request per stdin line, one answer per stdout line, until stdin closes (True) or
    LibreOffice stops (False)."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            convert(desktop, request)
        except Exception as exc:
            if soffice.poll() is not None or is_bridge_loss(desktop, exc):
                answer({"ok": False, "fatal": True, "error": f"LibreOffice s’est arrêté ({exc})"})
                return False
            answer({"ok": False, "error": str(getattr(exc, "Message", "") or exc)})
            continue
        answer({"ok": True})
    return True


def kill_group() -> None:
    """Kill this helper's process group (soffice included) when we lead it."""
    if os.getpgid(0) == os.getpid():
        os.killpg(0, signal.SIGKILL)


def kill_others() -> None:
    """Kill every other process of this helper's group (oosplash and soffice.bin)."""
    group = os.getpgid(0)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if os.getpgid(int(entry)) == group:
                    os.kill(int(entry), signal.SIGKILL)
            except OSError:
                continue


def shutdown(parent: int, folder: str, *, orphaned: bool = False) -> None:
    """End soffice and this helper; when the Python process that started us has died (so it
    cannot clean up), remove the worker's folder first. ``orphaned``: our stdin closed, which a
    dying parent does before we are given to another parent (getppid may not have changed yet)."""
    if (orphaned or os.getppid() != parent) and os.getpgid(0) == os.getpid():
        kill_others()
        time.sleep(0.2)
        shutil.rmtree(folder, ignore_errors=True)
    kill_group()


def watch(soffice: subprocess.Popen[bytes], parent: int, folder: str) -> None:
    """Shut down as soon as the Python process that started us dies (even mid-conversion) or
    soffice dies (even between documents, so that the worker is seen dead)."""

    def run() -> None:
        while os.getppid() == parent and soffice.poll() is None:
            time.sleep(0.2)
        shutdown(parent, folder)

    threading.Thread(target=run, daemon=True).start()


def main() -> None:
    soffice_path, profile_url = sys.argv[1], sys.argv[2]
    parent, folder = os.getppid(), os.path.dirname(uno.fileUrlToSystemPath(profile_url))
    pipe = f"conventum_{os.getpid()}_{int(time.time() * 1000)}"
    soffice = start_soffice(soffice_path, profile_url, pipe)
    watch(soffice, parent, folder)
    stdin_closed = False
    try:
        desktop = connect(pipe, soffice)
        answer({"ready": True, "soffice": soffice.pid})
        # stdin closed: the parent closed us, or died; either way nobody reads the folder again.
        stdin_closed = serve(desktop, soffice)
    except Exception as exc:
        answer({"ready": False, "fatal": True, "error": str(exc)})
    finally:
        # Our process group holds soffice (oosplash and soffice.bin): end all of it, ourselves last.
        soffice.kill()
        shutdown(parent, folder, orphaned=stdin_closed)


if __name__ == "__main__":
    main()
