"""templates/rapport.docx: the président's rapport to the Commission permanente (seeds 000 and 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.shared import Pt
from docxbuild import add_lines, add_table, new_document, save

HEAD = r"""
C: {{ collectivite }}
P: {%p for ligne in services %}
P: {{ ligne }}
P: {%p endfor %}
T: RAPPORT N°{{ numero }}
P: {%p for ligne in lieux %}
P: {{ ligne }}
P: {%p endfor %}
C: {{ organe.rapport }}
C: {{ reunion_titre }}
C: {{ objet_titre }}
P: {%p for bloc in corps_view %}
P: {%p if bloc.texte %}
P: {{ bloc.texte }}
P: {%p endif %}
P: {%p for element in bloc.liste %}
L: {{ bloc.puce }}	{{ element }}
P: {%p endfor %}
P: {%p endfor %}
P: {%p if imputations %}
"""

TABLE = [
    [
        "Code Opération",
        "Imputation Budgétaire",
        "Libellé Opération",
        "CP",
        "Disponible",
        "Proposition",
        "Solde",
    ],
    ["{%tr for ligne in imputations %}", "", "", "", "", "", ""],
    [
        "{{ ligne.code_operation }}",
        "{{ ligne.imputation }}",
        "{{ ligne.libelle }}",
        "{{ ligne.cp }}",
        "{{ ligne.disponible }}",
        "{{ ligne.proposition }}",
        "{{ ligne.solde }}",
    ],
    ["{%tr endfor %}", "", "", "", "", "", ""],
]

TAIL = r"""
E:
P: {%p endif %}
P: {{ avis_phrase }}
P: Je vous prie de bien vouloir en délibérer.
R: {{ president.signature_rapport }}
R: SIGNÉ
R: {{ president.nom }}
"""


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, HEAD.splitlines())
    add_table(
        document,
        TABLE,
        # The libellé wide enough for "Télécommunications" in 9 pt, the amounts for "Proposition".
        widths=[2.3, 2.3, 3.6, 2.2, 2.2, 2.2, 2.2],
        align_right=(3, 4, 5, 6),
        size=Pt(9),
        keep_rows=True,
    )
    add_lines(document, TAIL.splitlines())
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "rapport.docx"
    )
