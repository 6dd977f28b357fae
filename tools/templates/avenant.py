"""templates/avenant.docx: the avenant to a convention of any type (conventum.avenants).

The changed articles are written by conventum: each ``[[texte-N]]`` paragraph is replaced by the
consolidated text of the article the avenant's article N amends, as the convention writes it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxbuild import add_lines, new_document, save
from groupement_commandes import member_signatures

BODY = r"""
T: {{ avenant.titre }}
T: {{ avenant.a_la_convention }}
E:
P: Entre :
P: {%p for partie in parties %}
P: {{ partie.comparution }},
P: {{ partie.ci_apres }}
P: {{ partie.ordinal }},
P: {%p endfor %}
P: L’ensemble des signataires collectivement désignés « les Parties ».
A: PREAMBULE
P: {{ avenant.rappel }}
P: {{ avenant.objet }}
P: Ceci exposé, il a été convenu ce qui suit :
P: {%p for article in avenant.articles %}
H: Article {{ article.rang }} – {{ article.titre }}
P: {{ article.phrase }}
P: [[texte-{{ article.rang }}]]
P: {%p endfor %}
H: Article {{ avenant.rang_effet }} – Date d’effet
P: Le présent avenant prend effet le {{ avenant.date_effet }}.
H: Article {{ avenant.rang_autres }} – Autres stipulations
P: Les autres stipulations de la convention demeurent inchangées.
P: {{ cloture }}
E:
"""


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, BODY.splitlines())
    member_signatures(document, "parties")
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "avenant.docx"
    )
