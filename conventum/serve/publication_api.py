"""``POST /v1/publications``: ``conventum publication`` over HTTP. The form gives the séance (its
délibérations named by the files sent with it) or one délibération with its options, and the
classification; the answer is the publication folder as a ZIP (the actes with their legal mention,
the liste, the feuillet de clôture, the SCDL CSV) with its report in ``X-Conventum-Rapport``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from conventum.serve.actes_api import FILE, TEXT
from conventum.serve.handoff import (
    ZIP,
    answered,
    data_field,
    file_field,
    flag_field,
    form_of,
    multipart_body,
    plain_name,
    save,
    text_field,
    zipped,
)
from conventum.serve.http_api import REPORT_HEADER, state_of
from conventum.serve.inputs import upload_folder
from conventum.serve.openapi import COMMON, binary, responses
from conventum.serve.problems import HttpProblem
from conventum.serve.values import day_value

router = APIRouter(tags=["actes et publication"])
FIELDS = {
    "seance": {
        **TEXT,
        "description": "La séance (JSON ou YAML, comme le fichier de séance) ; ses"
        " délibérations et leurs PDF nommés par les fichiers envoyés dans « fichiers ».",
    },
    "fichiers": {"type": "array", "items": FILE, "description": "Les fichiers que la séance nomme."},
    "deliberation": {**TEXT, "description": "Ou une délibération seule (JSON ou YAML)."},
    "classification": {
        **FILE,
        "description": "La classification de la collectivité (RetourClassification XML).",
    },
    "joindre_signe": {"type": "boolean", "description": "Publie un acte signé en le joignant tel quel."},
    "matiere": {**TEXT, "description": "Délibération seule : sa classification (par exemple 1.4)."},
    "siret": {**TEXT, "description": "Délibération seule : SIRET de la collectivité."},
    "collectivite": {**TEXT, "description": "Délibération seule : nom de la collectivité."},
    "mise_en_ligne": {**TEXT, "description": "Délibération seule : date de mise en ligne."},
    "pdf": {**FILE, "description": "Délibération seule : la délibération signée (PDF)."},
}


@router.post(
    "/v1/publications",
    summary="Publie une séance ou une délibération (comme « conventum publication »)",
    description="Réponse : le dossier de publication en ZIP (actes avec la mention légale, liste des"
    " délibérations, feuillet de clôture, CSV SCDL, en PDF/A-1b) ; son compte rendu dans"
    f" « {REPORT_HEADER} » (le JSON de --format json, encodé en pourcentage). 422 : le rapport du refus.",
    response_class=Response,
    openapi_extra={
        "requestBody": multipart_body(FIELDS, ["classification"], "Le formulaire de la publication.")
    },
    responses={
        200: {
            **binary(ZIP, description="La publication"),
            "headers": {
                REPORT_HEADER: {
                    "description": "Le compte rendu (JSON encodé en pourcentage).",
                    "schema": TEXT,
                }
            },
        },
        **responses(*COMMON, 415, 422, 429, 500, 503, report=True),
    },
)
async def publications(request: Request) -> Response:
    form = await form_of(request)
    with upload_folder() as folder:
        work = await _work(form, folder, state_of(request).pool.converter)
        return await answered(request, work, filename="publication.zip")


async def _work(form: FormData, folder: Path, converter: Any) -> Any:
    from conventum.actes.classification import read_classification  # noqa: PLC0415 - lxml on demand
    from conventum.publication.writing import publication_json, write_publication  # noqa: PLC0415

    classification = await file_field(form, "classification", folder, required=True)
    assert classification is not None
    attach = flag_field(form, "joindre_signe")
    load = await (_seance(form, folder) if form.get("seance") not in (None, "") else _one(form, folder))

    def run() -> tuple[bytes, dict[str, Any]]:
        seance = load()
        published = write_publication(
            seance,
            read_classification(classification),
            folder / "publication",
            attach=attach,
            converter=converter,
        )
        report = publication_json(seance, published)
        report.pop("dossier")  # a path of the server's disk
        return zipped(published.folder), report

    return run


async def _seance(form: FormData, folder: Path) -> Any:
    """The séance saved beside the files it names (each one of the files sent, nothing else)."""
    from conventum.publication.seance import load_seance  # noqa: PLC0415

    raw = await data_field(form, "seance")
    assert raw is not None
    files = folder / "seance"
    files.mkdir()
    sent = {
        path.name: path
        for path in [
            await save(item, files) for item in form.getlist("fichiers") if isinstance(item, UploadFile)
        ]
    }
    entries = raw.get("deliberations")
    for entry in entries if isinstance(entries, list) else []:
        for key in ("fichier", "pdf"):
            if isinstance(entry, dict) and entry.get(key) is not None:
                plain_name(str(entry[key]), sent)
    path = files / "seance.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return lambda: load_seance(path)


async def _one(form: FormData, folder: Path) -> Any:
    """One délibération, its facts from the form (as the command's options)."""
    from conventum.publication.seance import seance_of_one  # noqa: PLC0415

    data = await data_field(form, "deliberation", required=False)
    if data is None:
        raise HttpProblem(400, "requete.champ_manquant", champ="seance")
    missing = [name for name in ("matiere", "siret", "collectivite") if not text_field(form, name)]
    if missing:
        raise HttpProblem(400, "requete.champ_manquant", champ=", ".join(missing))
    options = {
        "collectivite": {"nom": text_field(form, "collectivite"), "siret": text_field(form, "siret")},
        "mise_en_ligne": day_value("mise_en_ligne", text_field(form, "mise_en_ligne")) or dt.date.today(),
        "pdf": await file_field(form, "pdf", folder),
    }
    matiere = str(text_field(form, "matiere"))
    return lambda: seance_of_one(data, matiere=matiere, options=options)
