"""templates/plateforme-dematerialisation.docx: the CDG 62 convention of seed 003 and its annex 1."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.shared import Pt
from docxbuild import add_lines, add_table, new_document, save, signature_table

C = "collectivite"
BODY = r"""
T: {{ cdg.nature_libelle|upper }}
T: {{ cdg.sans_article|replace(cdg.nature_libelle, "")|trim|upper }}
C: CONVENTION
T: CONVENTION RELATIVE AUX CONDITIONS D'ACCES A LA PLATEFORME DE DEMATERIALISATION DE LA COMMANDE PUBLIQUE ET DE SES SERVICES ASSOCIES
E:
P: Entre les soussignés
P: {{ cdg.comparution }}, en application de l’article 28 du décret n°85-643 du 26 juin 1985,
P: {{ cdg.ci_apres }},
P: {{ cdg.ordinal }},
P: et
P: {{ C.comparution }},
P: {{ C.ci_apres }},
P: {{ C.ordinal }},
C: Vu
B: Le Code Général de la Fonction Publique ;
B: Le Code de la Commande Publique, et notamment l'article L.2511-1 relatif au quasi régie ;
B: Le décret 85-643 du 26 juin 1985 modifié relatif aux Centres de Gestion institués par la loi 84-53 du 26 janvier 1984 modifiée portant dispositions statutaires relative à la Fonction Publique Territoriale ;
B: La délibération du conseil d’administration {{ cdg.designee.de }} n°2023/21 du 30 mai 2023 ;
B: {{ cdg.autorisation.Acte_partie }} ;
B: {{ C.autorisation.Acte_partie }} ;
C: Considérant
P: Que selon l'article L452-40 du Code Général de la Fonction Publique qui précise « En sus des missions mentionnées aux sous-sections 1 et 2, les centres de gestion peuvent assurer à la demande des collectivités et établissements mentionnés à l'article L. 452-1 et situés dans leur ressort territorial, toute tâche administrative complémentaire ainsi que les missions suivantes :
B: 1° Conseils en organisation, notamment en matière d'emploi et de gestion des ressources humaines;
B: 2° Conseils juridiques ;
B: 3° Archivage et numérisation. »
P: Que selon l'article L452-30 du Code Général de la Fonction Publique « Les dépenses supportées par les centres de gestion pour l'exercice de missions complémentaires à caractère facultatif mentionnées à la sous-section 5 de la section 2, sur la demande des collectivités ou établissements, affiliés ou non, sont financées :
B: 1° Soit dans des conditions fixées par convention ;
B: 2° Soit par une cotisation additionnelle à la cotisation obligatoire mentionnée à l'article L. 452-25, pour les seuls collectivités ou établissements affiliés.
P: La cotisation additionnelle est assise, liquidée et versée selon les mêmes règles et les mêmes modalités que la cotisation obligatoire. Son taux est fixé par délibération du conseil d'administration ».
A: Préambule
P: En application des dispositions de l'article L452-40 du Code Général de la Fonction Publique, {{ cdg.designee.texte }} a développé une offre d'accompagnement des collectivités dans le domaine de la commande publique qui porte sur deux champs principaux :
B: le conseil et l'assistance juridique ;
B: la dématérialisation de la commande publique.
P: Dans ce cadre {{ cdg.designee.texte }} met à la disposition des collectivités et établissements, une plateforme de dématérialisation de la commande publique répondant à la définition de profil d'acheteur.
P: Cette offre s'inscrit plus généralement dans la logique d'accompagnement que {{ cdg.designee.texte }} a développé dans le domaine de la dématérialisation des procédures.
P: Il est convenu ce qui suit
H: Article 1 - Objet
P: La présente convention définit les modalités d'accès à la plateforme de dématérialisation de la commande publique et de ses services associés
H: Article 2 - Présentation de la plateforme de dématérialisation de la commande publique et de ses services associés
B: Architecture technique
P: La plateforme de dématérialisation de la commande publique répond à la définition du profil d'acheteur au sens des articles R. 2132-3, R. 2332-5 et R. 3122-10 du code de la commande publique qui disposent que « le profil d'acheteur est la plateforme de dématérialisation permettant notamment aux acheteurs et autorités concédantes de mettre les documents de la consultation à disposition des opérateurs économiques par voie électronique et de réceptionner par voie électronique les documents transmis par les candidats et les soumissionnaires ».
B: Les services associés
P: Les services associés à l'utilisation de la plateforme portent notamment sur :
B: une assistance juridique de premier niveau sur la conformité et l'adéquation du Règlement de Consultation avec la plateforme.
B: une assistance technique dite de premier niveau prenant la forme d'une intervention par téléassistance liée aux conditions d'utilisation de la méconnaissance du logiciel ou du matériel. Elle comprend également la création et la configuration des comptes pour les utilisateurs.
H: Article 3 - Assurance
P: {{ cdg.designee.Texte }} déclare avoir souscrit les assurances nécessaires à la couverture des risques liés à la conservation des archives placées sous sa responsabilité par {{ C.designee.texte }}.
H: Article 4 - Mode de contribution au service
P: {{ C.designee.Texte }} verse sa contribution forfaitaire annuelle pour un volume de consultations créées.
P: La grille définissant les seuils pour la contribution forfaitaire annuelle est annexée à la présente convention.
P: La contribution est appelée en début d'exercice comptable et sera calculée au prorata temporis pour une année incomplète.
P: Le recouvrement de la contribution annuelle sera versé {{ cdg.designee.a }}. Le règlement interviendra par mandat administratif dont le montant sera payé à :
Q: Service de gestion comptable de Bruay-la-Buissière (SGC)
Q: 40 rue Augustin Caron
Q: 62700 Bruay-la-Buissière
H: Article 5 - Durée et dénonciation de la convention
P: La présente convention est conclue pour une durée {{ duree.texte }}. Elle pourra faire l'objet d'avenants.
P: Une dénonciation de la présente convention pourra être engagée par l'une ou l'autre partie :
P: du fait {{ C.designee.de }} :
P: {{ C.designee.Texte }} annoncera sa décision de retrait d'adhésion par courrier recommandé avec accusé de réception {{ cdg.designee.a }} et à la direction des Archives départementales du Pas-de-Calais. La décision ne pourra prendre effet qu'après un délai de 2 mois à compter de sa notification.
P: du fait {{ cdg.designee.de }} :
P: {{ C.designee.Texte }} sera {{ "informée" if C.designee.genre == "f" else "informé" }} par courrier recommandé avec accusé de réception. La résiliation ne pourra prendre effet qu'à l'expiration d'un délai de 6 mois à compter de la date de notification de ladite lettre. Les documents seront alors mis à la disposition {{ C.designee.de }}.
P: Cette dénonciation peut intervenir sans condition délais dans les hypothèses suivantes en cas de défaut de paiement par {{ C.designee.texte }} des contributions mises à sa charge ;
H: Article 6 - Litiges
P: Toute contestation née de l'exécution de la présente convention donnera lieu à une tentative de règlement à l'amiable entre {{ cdg.designee.texte }} et {{ C.designee.texte }}.
P: A défaut d'accord à l'amiable, le litige sera porté devant le
Q: Tribunal Administratif de Lille
Q: 5 rue Geoffroy-Saint-Hilaire
Q: 59000 Lille.
H: Article 7 - Annexe
P: Cette présente convention présente une annexe :
B: La grille des contributions
E:
P: {{ cloture }}
""".replace("C.", C + ".")

SIGNATURES = [
    [f"{{{{ {role}.bloc.pour }}}}", f"{{{{ {role}.bloc.titre }}}}", "", f"{{{{ {role}.bloc.nom }}}}"]
    for role in ("collectivite", "cdg")
]

ANNEX = r"""
K:
A: Annexe 1
C: Grille des contributions
"""

GRID = [
    ["Tranches", "{{ contribution.colonnes.moins }}", "", "{{ contribution.colonnes.plus }}", ""],
    ["", "Consultations à l'année", "Tarification", "Consultations à l'année", "Tarification"],
    ["{%tr for ligne in contribution.tranches %}", "", "", "", ""],
    [
        "{{ ligne.tranche }}",
        "{{ ligne.consultations }}",
        "{{ ligne.moins }}",
        "{{ ligne.consultations }}",
        "{{ ligne.plus }}",
    ],
    ["{%tr endfor %}", "", "", "", ""],
]

COMPUTED = r"""
E:
S: Contribution {{ collectivite.designee.de }}
P: {{ collectivite.Denomination }} compte {{ agents|nombre }} agents et crée {{ consultations_par_an|nombre }} consultations à l'année : la tranche applicable est la {{ contribution.tranche }} ({{ contribution.consultations }} consultations à l'année, communes et établissements de {{ contribution.effectif }}).
P: {%p if contribution.gratuite %}
P: L'accès à la plateforme et à ses services associés est gratuit pour {{ collectivite.designee.texte }}.
P: {%p else %}
P: La contribution forfaitaire annuelle {{ collectivite.designee.de }} s'élève à {{ contribution.annuelle_texte }} ({{ contribution.annuelle|montant_lettres }}).
P: {%p endif %}
P: {%p if contribution.prorata %}
P: La convention prenant effet le {{ contribution.prorata.debut }}, la contribution de l'année {{ contribution.prorata.annee }} est calculée au prorata temporis : {{ contribution.annuelle_texte }} × {{ contribution.prorata.jours }} / {{ contribution.prorata.jours_annee }} jours, soit {{ contribution.prorata.montant_texte }}.
P: {%p endif %}
"""


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, BODY.splitlines())
    signature_table(document, SIGNATURES)
    add_lines(document, ANNEX.splitlines())
    table = add_table(
        document,
        GRID,
        widths=[2.6, 3.6, 2.6, 3.6, 2.6],
        size=Pt(9),
        header=2,
        keep_rows=True,
        align_right=[2, 4],
    )
    for row, first, last in ((0, 1, 2), (0, 3, 4)):
        table.cell(row, first).merge(table.cell(row, last))
    # "Tranches" heads both header rows: one cell spanning them, as in the seed's grid.
    table.cell(0, 0).merge(table.cell(1, 0))
    add_lines(document, COMPUTED.splitlines())
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "plateforme-dematerialisation.docx"
    )
