"""templates/adhesion-centrale-achats.docx: the convention of seed 000."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxbuild import add_lines, new_document, save, signature_table

A = "{{ adherent.genre }}"
BODY = r"""
T: CONVENTION D’ADHESION
T: A LA CENTRALE D’ACHATS
T: DU SYNDICAT MIXTE {{ centrale.designee.TITRE }}
E:
P: {{ centrale.comparution }},
P: {{ centrale.ci_apres }}
P: {{ centrale.ordinal }},
P: ET
P: {{ adherent.comparution }},
P: {{ adherent.ci_apres }}
P: {{ adherent.ordinal }},
P: L’ensemble des signataires collectivement désignés « les Parties ».
K:
A: PREAMBULE
P: Par délibération n°2022-03 du 19 janvier 2022, et afin d’offrir aux adhérents situés sur le territoire des départements du Nord (59) et du Pas-de-Calais (62) un outil de mutualisation efficace dans son champ de compétence, le comité syndical {{ centrale.designee.de }} a décidé de se constituer centrale d’achats.
P: Plus précisément, la centrale d’achats {{ centrale.designee.texte }} exerce des activités d’achat centralisé pour les marchés dont l’objet entre dans son champ de compétences soit, les infrastructures et services de communications électroniques tels que visés à l’article L 1425-1 du code général des collectivités territoriales, les usages/NTIC en matière de numérique éducatif ainsi que pour les marchés qui présentent le caractère de complément normal ou nécessaire de ces compétences.
P: {{ adherent.designee.Texte }} souhaite bénéficier des prestations d’achats centralisés proposés par {{ centrale.designee.texte }}.
P: Ceci exposé, il a été convenu ce qui suit
H: ARTICLE 1. OBJET DE LA CONVENTION
P: La présente Convention a pour objet de définir les conditions dans lesquelles {{ adherent.designee.texte }} adhère à la centrale d’achats {{ centrale.designee.texte }}, laquelle pourra se voir confier les missions suivantes :
B: L'acquisition de fournitures ou de services ;
B: La passation des marchés de travaux, de fournitures ou de services ;
B: Les activités d'achat auxiliaires consistant à fournir une assistance à la passation des marchés en application de l’article L 2113-3 du code de la commande publique ou de toute autre disposition qui viendrait s’y substituer.
H: ARTICLE 2. ENTREE EN VIGUEUR ET DUREE DE LA CONVENTION
P: La présente Convention entre en vigueur {{ duree.entree_en_vigueur }}{% if duree.debut == "notification" %} par {{ centrale.designee.texte }} {{ adherent.designee.a }}{% endif %}.
P: Elle est conclue pour une durée {{ duree.texte }} et pourra être résiliée dans les conditions fixées à l’article 8.
H: ARTICLE 3. MISSIONS DE CHACUNE DES PARTIES LORSQUE LA CENTRALE D’ACHAT EXERCE DES MISSIONS DE PASSATION DE MARCHES DE TRAVAUX, DE FOURNITURES OU DE SERVICES
S: ARTICLE 3.1. MISSIONS DE LA CENTRALE D’ACHAT
P: La centrale d’achats réalise, en fonction des procédures applicables, les missions suivantes :
B: Assistance {{ adherent.designee.de }} dans le recensement et la détermination de ses besoins ; En fonction des circonstances, la Centrale d’achats n’a pas l’obligation de solliciter chacune des Collectivités adhérentes avant de lancer un marché.
B: Mise en œuvre de consultations, sollicitation d’avis ou information des opérateurs économiques de son projet et de ses exigences en application de l’article R 2111-1 du code de la commande publique ;
B: Préparation et mise en œuvre de la procédure de publicité et de mise en concurrence ;
B: Sélection du ou des attributaires ;
B: Mise au point du marché ;
B: Signature, pour le compte {{ adherent.designee.de }}, du marché ou de l’accord cadre ;
B: Mise en œuvre des formalités de fin de procédure ;
B: Envoi du marché ou de l’accord-cadre {{ adherent.designee.a }} ;
B: Assistance {{ adherent.designee.de }} dans le traitement des recours relatifs aux conditions d’attribution d’un marché pris en charge par la Centrale d’achats conformément au présent article ;
B: Par exception, dans le cas de marchés conclus par un groupement de commandes auquel la centrale d’achat participe, son rôle est déterminé par la convention de groupement de commandes.
S: ARTICLE 3.2. MISSIONS {{ adherent.designee.TITRE_DE }}
P: {{ adherent.designee.Texte }} exerce les missions suivantes :
B: Réponse aux sollicitations de la Centrale d’achats s’agissant de la détermination de ses besoins avant le lancement d’un marché et ce dans les délais fixés par la Centrale d’achats ;
B: Participation, en tant que de besoin, aux différentes étapes de préparation et de sélection des candidats ;
B: Exécution du marché : passation des marchés subséquents, émission des bons de commande, gestion technique et financière du marché avec le ou les titulaires, paiement des prestations, modification des conditions d’exécution du marché (avenant), renouvellement ou résiliation du marché en tant qu’il le concerne.
H: ARTICLE 4. MISSIONS DE CHACUNE DES PARTIES LORSQUE LA CENTRALE D’ACHAT EXERCE L’ACTIVITE D’ACQUISITION DE FOURNITURES OU DE SERVICES
S: ARTICLE 4.1. MISSIONS DE LA CENTRALE D’ACHATS
P: La Centrale d’achats exerce les missions suivantes :
B: Recensement et détermination des besoins {{ adherent.designee.de }} ; En fonction des circonstances, la Centrale d’achats n’a pas l’obligation de solliciter chacun des adhérents avant de lancer un marché.
B: Mise en œuvre de consultations, sollicitation d’avis ou information des opérateurs économiques de son projet et de ses exigences en application de l’article R 2111-1 du code de la commande publique ;
B: Préparation et mise en œuvre de la procédure de publicité et de mise en concurrence ;
B: Sélection du ou des attributaires ;
B: Mise au point du marché ;
B: Signature du marché ou de l’accord cadre ;
B: Mise en œuvre des formalités de fin de procédure ;
B: Exécution du marché : passation des marchés subséquents, émission des bons de commande, gestion technique et financière du marché avec le ou les titulaires, paiement des prestations, modification des conditions d’exécution du marché (avenant), résiliation du marché ;
B: Gestion de l’ensemble des recours tenant tant aux conditions d’attribution qu’aux conditions d’exécution d’un marché conclu par la Centrale d’achats conformément au présent article ;
B: Gestion des demandes {{ adherent.designee.de }} ;
B: Facturation détaillée des prestations et des fournitures {{ adherent.designee.a }} ;
B: Par exception, dans le cas de marchés conclus par un groupement de commandes auquel la centrale d’achat participe, son rôle est déterminé par la convention de groupement de commandes.
S: ARTICLE 4.2. MISSIONS {{ adherent.designee.TITRE_DE }}
P: {{ adherent.designee.Texte }} exerce les missions suivantes :
B: Réponse aux sollicitations de la Centrale d’achats s’agissant de la détermination de ses besoins avant le lancement d’un marché et ce dans les délais fixés par la Centrale d’achats
B: Commande des services ou des fournitures à la Centrale d’achats ;
B: Paiement des prestations après refacturation par la Centrale d’achats.
H: ARTICLE 5. MISSIONS DE LA CENTRALE D’ACHATS AU TITRE DES ACTIVITES D’ACHATS AUXILIAIRES
P: En application de l’article L 2113-3 du code de la commande publique, ou de toute disposition qui viendrait s’y substituer, {{ adherent.designee.texte }} pourra confier à la centrale d’achats des activités d'achat auxiliaires, soit notamment :
B: la mise à disposition d'infrastructures techniques pour la conclusion des marchés de travaux, de fournitures ou de services ;
B: le conseil sur le choix, l'organisation et le déroulement des procédures de passation de marchés ;
B: la préparation et gestion des procédures de passation de marchés au nom de l'acheteur concerné et pour son compte.
B: Le cas échéant, l’assistance {{ adherent.designee.de }} dans la mise en œuvre des procédures publicité et de mise en concurrence au titre des aides d’état pour les marchés dont la centrale d’achat est en charge ou les marchés connexes.
H: ARTICLE 6. PRECISIONS COMPLEMENTAIRES QUANT AUX ENGAGEMENTS {{ adherent.designee.TITRE_DE }}
P: Lorsqu’{{ adherent.designee.pronom }} a recours à la centrale d’achats dans le cadre des missions telles que stipulées aux articles 3, 4 ou 5 de la présente convention, {{ adherent.designee.texte }} est considéré{{ adherent.designee.e }} comme ayant respecté ses obligations de publicité et de mise en concurrence au titre de la règlementation applicable aux marchés publics.
P: Toutefois, {{ adherent.designee.pronom }} demeure responsable du respect des dispositions du code de la commande publique pour les missions de passation et d’exécution des marchés publics dont il est en charge.
P: La conclusion de la présente Convention n’emporte pas obligation pour {{ adherent.designee.texte }} de recourir à la centrale d’achat pour tout nouveau besoin.
P: En revanche, {{ adherent.designee.texte }} s’engage à exécuter le ou les marchés conclus par la centrale d’achat conformément à leurs stipulations.
P: {{ adherent.designee.Texte }} garantit que les contrats auxquels {{ adherent.designee.pronom }} est partie et qui n’ont pas été attribués dans le cadre de la centrale d’achats ne sont pas incompatibles avec ceux conclus dans le cadre de la centrale d’achats.
P: En application des articles 3.2 et 4.2 de la présente Convention, {{ adherent.designee.texte }} s’engage à répondre aux sollicitations de la Centrale d’achats s’agissant de la détermination de ses besoins avant le lancement d’un marché et ce, dans les délais fixés par la Centrale d’achats.
P: Si {{ adherent.designee.texte }} n’a pas respecté cet engagement, {{ adherent.designee.pronom }} est réputé{{ adherent.designee.e }} ne pas avoir recours à la Centrale d’achats pour la satisfaction de ses besoins à ce titre. {{ adherent.designee.Pronom }} ne pourra alors solliciter la Centrale d’achats pour la satisfaction de ses besoins à ce titre que si le marché le prévoit explicitement. Et {{ centrale.designee.texte }} sera alors toujours libre de refuser de faire droit à une telle demande.
H: ARTICLE 7. PARTICIPATION FINANCIERE
P: La participation financière destinée à couvrir les missions exercées par la centrale d’achat est fixée annuellement par le comité syndical {{ centrale.designee.de }} au moment du vote du budget.
P: Les adhérents ayant conclu la présente convention dans les deux premières années suivant l’entrée en vigueur de la délibération n°2022-03 du 19 janvier 2022, bénéficieront d’une franchise de la participation financière afférente aux fournitures ou services qu’ils auront souscrits durant ces deux premières années.
P: Cette franchise de participation financière sera limitée à la durée des marchés conclus la première année d’existence de la centrale.
P: Par exception, les services en Pack intègrent dans leur coût forfaitaire la participation financière afférente.
H: ARTICLE 8. RESILIATION
P: Si l’une des Parties souhaite résilier la présente Convention, elle en informe l’autre Partie par courrier recommandé avec accusé de réception. La résiliation prendra effet à l’expiration d’un délai d’un (1) mois courant à compter de la notification du courrier de résiliation, ou à une date postérieure souhaitée par la Partie prenant la décision de résiliation.
P: En tout état de cause, {{ adherent.designee.texte }} restera engagé{{ adherent.designee.e }} par les marchés pour lesquels
B: i) {{ adherent.designee.pronom }} a fait part d’un besoin, et
B: ii) un avis de publicité et de mise en concurrence a été publié.
P: En tout état de cause, la résiliation de la présente Convention n’ouvrira pas droit à indemnisation de l’autre Partie.
H: ARTICLE 9. GESTION DES LITIGES
P: En cas de litige, les Parties pourront rechercher une solution amiable à ce litige.
P: Si une Partie souhaite introduire un contentieux, elle saisira le Tribunal administratif de Lille, compétent en l’espèce.
P: {{ cloture }}
E:
"""

SIGNATURES = [
    [
        "{{ centrale.bloc.date }}",
        "{{ centrale.bloc.pour }}",
        "{{ centrale.bloc.titre }}",
        "",
        "{{ centrale.bloc.nom }}",
    ],
    [
        "{{ adherent.bloc.date }}",
        "{{ adherent.bloc.pour }}",
        "{{ adherent.bloc.titre }}",
        "",
        "{{ adherent.bloc.nom }}",
    ],
]


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, BODY.splitlines())
    signature_table(document, SIGNATURES)
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "adhesion-centrale-achats.docx"
    )
