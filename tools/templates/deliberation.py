"""templates/deliberation.docx: the délibération of the Commission permanente (seeds 000 and 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.shared import Pt
from docxbuild import add_lines, add_table, new_document, save

HEAD = r"""
C: {{ collectivite }}
P: {%p for ligne in organe.entete %}
T: {{ ligne }}
P: {%p endfor %}
C: {{ reunion_titre }}
C: {{ presidence }}
P: Secrétaire : {{ secretaire }}
P: {%p for liste in presence %}
P: {{ liste.libelle }} : {{ liste.liste }}.
P: {%p endfor %}
C: {{ objet_titre }}
C: (N°{{ numero }})
P: {{ organe.sujet }},
P: {%p for vu in vus %}
P: {{ vu }}
P: {%p endfor %}
P: {%p for phrase in interesses_phrases %}
P: {{ phrase }}
P: {%p endfor %}
P: Après en avoir délibéré,
C: {{ decision_titre }}
P: {%p for article in articles_view %}
H: {{ article.titre }} :
P: {{ article.texte }}
P: {%p endfor %}
P: {%p if imputations %}
"""

TABLE = [
    ["Code Opération", "Imputation budgétaire", "Libellé Opération", "CP €", "Dépense €"],
    ["{%tr for ligne in imputations %}", "", "", "", ""],
    [
        "{{ ligne.code_operation }}",
        "{{ ligne.imputation }}",
        "{{ ligne.libelle }}",
        "{{ ligne.cp }}",
        "{{ ligne.depense }}",
    ],
    ["{%tr endfor %}", "", "", "", ""],
]

TAIL = r"""
E:
P: {%p endif %}
P: Dans les conditions de vote ci-dessous :
P: {%p for ligne in vote_view.lignes %}
P: {{ ligne }}
P: {%p endfor %}
C: ({{ vote_view.resultat }})
P: {%p if vote_view.partage %}
P: {{ vote_view.partage }}
P: {%p endif %}
C: ……………………………………………………………………
C: {{ president.signature }},
C: {{ president.nom }}
E:
P: {{ fait_a }}
P: {{ president.pour }}
P: {{ officier.intitule }},
P: Signé
P: {{ officier.prenom }} {{ officier.nom }}
"""


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, HEAD.splitlines())
    add_table(
        document, TABLE, widths=[3.0, 3.5, 5.0, 2.5, 2.5], align_right=(3, 4), size=Pt(9), keep_rows=True
    )
    add_lines(document, TAIL.splitlines())
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "deliberation.docx"
    )
