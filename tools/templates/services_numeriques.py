"""templates/services-numeriques.docx: the convention of seed 002, its annex 2 computed from seed 001."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.shared import Pt
from docxbuild import add_lines, add_table, bold_row, new_document, save, signature_table

# Every reference to a party in fixed text is its designation (« Ci-après désigné … »), from the
# party's record: the CDG's short name, La Fibre Numérique 59 62, la Collectivité or l'Établissement.
CDG = "{{ cdg.designee.texte }}"
BODY = r"""
T: CONVENTION RELATIVE AUX PRESTATIONS ET A
T: L’ACCOMPAGNEMENT SUR DES SERVICES NUMERIQUES
E:
P: Entre :
P: {{ fibre.comparution }},
P: {{ fibre.ci_apres }}
P: {{ fibre.ordinal }},
P: Et :
P: {{ cdg.comparution }},
P: {{ cdg.ci_apres }}
P: {{ cdg.ordinal }},
P: Et :
P: {{ collectivite.comparution }},
P: {{ collectivite.ci_apres }}
P: {{ collectivite.ordinal }},
P: L’ensemble des signataires collectivement désignés « les Parties ».
A: PREAMBULE
P: Les outils et services numériques ont prouvé leur rôle dans le développement économique des territoires, la réduction de la fracture territoriale, une meilleure efficacité et une plus grande accessibilité des services publics. Pourtant les acteurs publics de services numériques de la Région Hauts-de-France constatent que nombre de communes hésitent à adopter ces outils, faute d’une offre adaptée à leurs besoins et d’un accompagnement répondant à leurs particularités.
P: Aussi, parmi ces acteurs, @C@ et {{ fibre.designee.texte }} ont décidé d’allier leurs ressources et leurs compétences pour créer une offre de services numérique à destination, particulièrement mais pas exclusivement, des communes de moins de 2000 habitants sur leur territoire d’intervention. Une partie des prestations proposées s’appuie sur un partenariat avec le Syndicat mixte Somme Numérique.
P: Cette initiative est soutenue par la Région Hauts-de-France et les Départements du Nord et du Pas-de-Calais.
P: {{ collectivite.designee.Texte }} souhaite bénéficier des services et de l’accompagnement proposés par @C@ et {{ fibre.designee.texte }}.
P: Ceci étant exposé, il a été convenu ce qui suit.
H: ARTICLE 1. OBJET DE LA CONVENTION
P: La présente convention a pour objet de définir les modalités d’accès, d’utilisation et de facturation {{ collectivite.designee.de }} aux prestations proposées par le partenariat {{ fibre.designee.de }} et {{ cdg.designee.de }}.
H: ARTICLE 2. DÉFINITION DES MISSIONS {{ fibre.designee.TITRE_DE }} ET {{ cdg.designee.TITRE_DE }}
S: ARTICLE 2.1. MISSIONS RÉALISÉES PAR {{ fibre.designee.TITRE }}
P: {{ fibre.designee.Texte }} fournit les plateformes en ligne, les services et matériels identifiés en annexe n°1.
S: ARTICLE 2.2. MISSIONS RÉALISÉES PAR {{ cdg.designee.TITRE }}
P: {{ cdg.designee.Texte }} fournit l’accompagnement des collectivités et établissements dans la mise en œuvre des services, conformément aux dispositions des annexes. Il est, pour {{ collectivite.designee.texte }}, le référent et l’interlocuteur privilégié pour l’exercice de la présente convention.
H: ARTICLE 3. DUREE DE LA CONVENTION
P: La Convention est conclue pour une durée {{ duree.texte }}.
P: {{ cdg.designee.Texte }} et {{ fibre.designee.texte }} optent pour une reconduction tacite de la présente convention.
P: {{ collectivite.designee.Texte }} opte pour une reconduction {{ reconduction }} de la présente convention.
P: {%p if reconduction == "tacite" %}
P: Dans le cadre d’une reconduction tacite, si l’une des Parties ne souhaite pas renouveler la Convention, elle en informe les deux autres Parties par courrier recommandé avec accusé de réception notifié au plus tard {{ duree.preavis }} avant la date d’échéance.
P: {%p else %}
P: {{ collectivite.designee.Texte }} optant pour une reconduction expresse devra signifier, par courrier ou courriel, aux autres parties, son choix de renouveler ou pas la convention, au plus tard {{ duree.preavis }} avant la date d’échéance.
P: {%p endif %}
H: ARTICLE 4. CONTRIBUTION FINANCIERE {{ collectivite.designee.TITRE_DE }}
S: ARTICLE 4.1. MONTANT DES CONTRIBUTIONS FINANCIERES
P: Le montant de la contribution financière due chaque année par {{ collectivite.designee.texte }} est détaillé en annexe n°2.
S: ARTICLE 4.2. MODALITES DE REGLEMENT
S: Article 4.2.1. MODALITÉS DE RÈGLEMENT {{ cdg.designee.TITRE_A }}
P: {%p if textes.taux_horaire %}
P: Chaque intervention effectuée par les services {{ cdg.designee.de }} au sein {{ collectivite.designee.de }} sera facturée sur la base d’un coût de {{ textes.taux_horaire }} euros de l’heure (temps et coûts de déplacements compris).
P: {%p endif %}
P: Le recouvrement des frais de la mission sera assuré par @C@. Le règlement interviendra par mandat administratif.
S: Article 4.2.2. MODALITÉS DE RÈGLEMENT {{ fibre.designee.TITRE_A }}
P: Une facture sera adressée par {{ fibre.designee.texte }} {{ collectivite.designee.a }} dès signature de la Convention puis à chaque date anniversaire de la Convention.
P: Les factures seront déposées sur le portail Chorus pro.
P: En cas de retard de paiement, {{ fibre.designee.texte }} pourra percevoir les intérêts légaux sur les sommes dues.
H: ARTICLE 5. RESPONSABILITES
S: ARTICLE 5.1. RESPONSABILITE {{ collectivite.designee.TITRE_DE }}
P: {{ collectivite.designee.Texte }} s’engage, sous peine de résiliation de la présente Convention à utiliser les services qu’{{ collectivite.designee.pronom }} a souscrits uniquement pour la satisfaction de ses propres besoins ou missions.
P: {{ collectivite.designee.Texte }} s’engage également, sous peine de résiliation, à ce qu’aucun autre établissement ou organisme, indépendant {{ collectivite.designee.de }} au plan juridique, situé dans son enceinte ou à l’extérieur, ne puisse bénéficier des services fournis dans le cadre de la présente Convention sans que ce dernier n’ait souscrit une convention auprès {{ fibre.designee.de }} et {{ cdg.designee.de }}.
P: {{ collectivite.designee.Texte }} doit utiliser les services dans le respect des lois et règlements. En conséquence il lui est strictement interdit d'utiliser les services mis à sa disposition pour stocker ou transmettre, quelle que soit leur forme, des fichiers dont le contenu serait en infraction avec la loi et les règlements applicables.
P: De manière générale, {{ collectivite.designee.texte }} déclare accepter les conditions d'utilisation propres à chaque service proposé par {{ fibre.designee.texte }} et décrits en annexe n°1.
S: ARTICLE 5.2. RESPONSABILITÉ {{ fibre.designee.TITRE_DE }}
P: {{ fibre.designee.Texte }} veille à mettre en œuvre tous les moyens techniques d’intervention et d’assistance en vue d’assurer un fonctionnement régulier des services.
P: {{ fibre.designee.Texte }} n’assume aucune responsabilité et n’exerce aucun contrôle, de quelque forme que ce soit, sur le contenu, la nature ou les caractéristiques des données transportées et/ou qui pourraient transiter dans l’exécution de ses missions ainsi qu’en cas d’utilisation des services non conforme à la présente Convention.
P: La responsabilité {{ fibre.designee.de }} ne saurait être engagée dans les cas suivants :
D: {{ fibre.designee.Texte }} n’assume aucune responsabilité en ce qui concerne le contenu et la nature des informations, signes, images, graphismes, sons ou toutes autres données que {{ collectivite.designee.texte }} transmet ;
D: La responsabilité {{ fibre.designee.de }} ne saurait être engagée dans le cas de l'intrusion d'un tiers dans le système informatique {{ collectivite.designee.de }} ;
D: {{ fibre.designee.Texte }} ne peut être en aucun cas responsable de la fiabilité de transmission des données, des temps d’accès, des éventuelles restrictions d’accès sur des réseaux et/ou serveurs spécifiques {{ collectivite.designee.de }} ;
D: {{ fibre.designee.Texte }} ne se substitue pas, dans l’utilisation des services, à la responsabilité juridique {{ collectivite.designee.de }}.
P: Dans le cas où la responsabilité {{ fibre.designee.de }} serait retenue pour faute prouvée, il est expressément convenu qu’elle ne sera tenue à réparation que du préjudice direct et immédiat, dans la limite d’un montant de dommages et intérêts ne pouvant excéder le montant facturé au titre de l’année en cours d’exécution au moment de la survenance de l’événement ayant engendré le préjudice.
S: ARTICLE 5.3. RESPONSABILITÉ {{ cdg.designee.TITRE_DE }}
P: {{ cdg.designee.Texte }} s’engage à mettre en œuvre les ressources nécessaires afin d’assurer un accompagnement optimal à l’utilisation des services proposés dans le cadre de cette convention.
H: ARTICLE 6. RESILIATION DE LA CONVENTION
P: Chaque Partie pourra résilier la Convention en cas de manquement de l’une des deux autres Parties, après mise en demeure restée infructueuse durant trois (3) mois.
P: {{ collectivite.designee.Texte }} pourra résilier la Convention à sa date anniversaire, sous réserve d’avoir averti les autres parties par lettre recommandée avec Accusé de Réception au moins 3 mois à l’avance.
P: {{ cdg.designee.Texte }} ou {{ fibre.designee.texte }} pourra résilier la présente convention à tout moment, sous réserve d’avoir averti les autres parties par lettre recommandée avec Accusé de Réception au moins 6 mois à l’avance.
H: ARTICLE 7. MODIFICATIONS
P: Toute modification des termes de la convention doit faire l’objet d’un avenant écrit entre les parties, conclu dans les mêmes formes et conditions que la présente convention.
H: ARTICLE 8. LITIGES
P: Les parties s'efforceront de régler à l'amiable toute difficulté résultant de l'interprétation ou de l'application de la présente convention.
P: En cas de désaccord persistant, le différend sera soumis au Tribunal administratif compétent :
Q: Tribunal Administratif de Lille
Q: 5 rue Geoffroy-Saint-Hilaire
Q: 59000 Lille
H: ARTICLE 9. ANNEXES
P: Les pièces suivantes sont annexées à la présente convention :
Q: Annexe n°1 : Présentation des services proposés en commun par {{ fibre.designee.texte }} et @C@
Q: Annexe n°2 : Participation financière {{ collectivite.designee.de }}
Q: Annexe n°3 : Dispositions relatives au RGPD
E:
P: {{ cloture }}
""".replace("@C@", CDG)

SIGNATURES = [
    [
        f"{{{{ {role}.bloc.date }}}}",
        f"{{{{ {role}.bloc.pour }}}}",
        f"{{{{ {role}.bloc.titre }}}}",
        "",
        f"{{{{ {role}.bloc.nom }}}}",
    ]
    for role in ("fibre", "cdg", "collectivite")
]

ANNEX_1 = r"""
K:
A: Annexe n°1 : Présentation des services proposés en commun par {{ fibre.designee.texte }} et @C@
P: {{ fibre.designee.Texte }} fournit les services ci-dessous ; @C@ accompagne {{ collectivite.designee.texte }} dans leur mise en œuvre. Les services souscrits par {{ collectivite.designee.texte }} et leur prix figurent en annexe n°2.
""".replace("@C@", CDG)

ANNEX_1_TABLE = [
    ["Famille", "Service", "Unité de facturation"],
    ["{%tr for ligne in annexe1.services %}", "", ""],
    ["{{ ligne.famille }}", "{{ ligne.service }}", "{{ ligne.unite }}"],
    ["{%tr endfor %}", "", ""],
]

ANNEX_2 = r"""
K:
A: Annexe n°2 : Participation financière {{ collectivite.designee.de }}
P: Offre souscrite : {{ annexe2.offre }}. Prestations à compter du {{ annexe2.debut|date_fr }}.
P: {%p if annexe2.categorie_demarches %}
P: Catégorie « Démarches simplifiées » retenue : {{ annexe2.categorie_demarches }}{% if collectivite.nature == "commune" %} (population de {{ services.population|nombre }} habitants){% else %} ({{ services.agents|nombre }} agents){% endif %}.
P: {%p endif %}
P: {% if annexe2.source %}Tarifs arrêtés par {{ annexe2.source }}.{% else %}Tarifs de la grille en vigueur depuis le {{ annexe2.valable_du|date_fr }}.{% endif %} Les services sont facturés hors taxes (HT) par {{ fibre.designee.texte }} ; l’accompagnement est indiqué toutes taxes comprises (TTC), comme dans la grille.
P: {%p for periode in annexe2.periodes %}
S: {{ periode.libelle }}
"""

ANNEX_2_TABLE = [
    ["Prestation", "Unité", "Qté", "Prix unitaire", "Montant HT", "Montant TTC"],
    ["{%tr for ligne in periode.lignes %}", "", "", "", "", ""],
    [
        "{{ ligne.libelle }}",
        "{{ ligne.unite }}",
        "{{ ligne.quantite }}",
        "{{ ligne.prix }}",
        "{{ ligne.ht }}",
        "{{ ligne.ttc }}",
    ],
    ["{%tr endfor %}", "", "", "", "", ""],
    ["Total", "", "", "", "{{ periode.total_ht|montant }}", "{{ periode.total_ttc|montant }}"],
]

ANNEX_2_END = r"""
E:
P: {%p endfor %}
P: Total pour la durée initiale de la convention (deux (2) ans) : {{ annexe2.total_duree.ht_texte }} pour les services et {{ annexe2.total_duree.ttc_texte }} pour l’accompagnement.
K:
A: Annexe n°3 : Dispositions relatives au RGPD
P: {%p if annexe3_rgpd %}
P: {%p for paragraphe in annexe3_rgpd %}
P: {{ paragraphe }}
P: {%p endfor %}
P: {%p else %}
P: Pour les traitements de données à caractère personnel mis en œuvre au moyen des services souscrits, {{ collectivite.designee.texte }} est responsable de traitement ; {{ fibre.designee.texte }} et {{ cdg.designee.texte }} agissent en qualité de sous-traitants au sens de l’article 28 du règlement (UE) 2016/679 du 27 avril 2016 (RGPD).
P: Les sous-traitants ne traitent les données que sur instruction documentée {{ collectivite.designee.de }} et pour les seules finalités des services souscrits ; ils garantissent la confidentialité des données et mettent en œuvre les mesures techniques et organisationnelles appropriées pour en assurer la sécurité.
P: Ils notifient {{ collectivite.designee.a }} toute violation de données dans les meilleurs délais après en avoir pris connaissance, l’aident à répondre aux demandes d’exercice des droits des personnes concernées et, au terme de la convention, lui restituent ou suppriment les données selon son choix.
P: Chaque Partie désigne son délégué à la protection des données, auquel les autres Parties peuvent s’adresser pour toute question relative à l’application des présentes dispositions.
P: {%p endif %}
"""


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, BODY.splitlines())
    signature_table(document, SIGNATURES, columns=3)
    add_lines(document, ANNEX_1.splitlines())
    add_table(document, ANNEX_1_TABLE, widths=[4.0, 7.5, 5.5], size=Pt(9), keep_rows=True)
    add_lines(document, ANNEX_2.splitlines())
    widths = [5.3, 3.3, 0.9, 2.7, 2.4, 2.4]
    table = add_table(
        document, ANNEX_2_TABLE, widths=widths, size=Pt(8.5), keep_rows=True, align_right=[2, 3, 4, 5]
    )
    bold_row(table, -1)
    add_lines(document, ANNEX_2_END.splitlines())
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "services-numeriques.docx"
    )
