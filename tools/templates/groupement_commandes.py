"""templates/groupement-commandes.docx: the convention of seed 004, any number of members."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx.oxml import OxmlElement
from docxbuild import (
    DocumentType,
    add_lines,
    anchor_text,
    fill_signature_cell,
    keep_closing_with_next,
    layout_table,
    new_document,
    save,
)

BODY = r"""
T: CONVENTION CONSTITUTIVE D’UN GROUPEMENT DE COMMANDES
E:
P: Entre :
P: {%p for membre in membre_liste %}
P: {{ membre.comparution }},
P: {%p endfor %}
P: désignés ci-après « adhérents fondateurs »,
A: Préambule
P: {%p for visa in visas %}
Q: {{ visa }}
P: {%p endfor %}
E:
H: Article 1 - Objet
P: Il est constitué entre les adhérents fondateurs, un groupement de commandes régi par la présente convention, en application de l’article L2113-7 du Code de la commande publique.
P: L’objet du groupement de commandes est « {{ objet }} ».
P: La présente convention de groupement de commandes a pour objet de définir les modalités d’organisation et de fonctionnement du groupement de commandes en vue de {{ finalite }}.
H: Article 2 - Durée
P: La présente convention est exécutoire {% if duree.debut == "notification" %}dès sa notification aux différents intéressés{% else %}{{ duree.entree_en_vigueur }}{% endif %}.
P: Le groupement de commandes prendra ainsi effet à la notification de la présente convention et pour la durée de celle-ci.
P: {% if duree.indeterminee %}La convention s'achève à la réalisation complète de son objet{% else %}La convention est conclue pour une durée {{ duree.texte }} ; elle s'achève au plus tard à la réalisation complète de son objet{% endif %}, à l’issue des opérations d’apurement juridique et financier des marchés.
H: Article 3 - Le coordonnateur
P: Le coordonnateur est {{ coordonnateur_partie.denomination }}, siège du groupement de commandes régi par la présente convention. Le coordonnateur est chargé de la gestion et de l’organisation de la procédure de passation du marché au nom et pour le compte de l'ensemble des membres du groupement.
P: La consultation sera menée dans le respect des dispositions légales et réglementaires applicables au coordonnateur
P: À ce titre, le coordonnateur :
B: définit le type de marché à conclure et sa durée ;
B: choisit la procédure de passation du marché au regard de son montant estimé et au regard des besoins des membres du groupement, conformément aux dispositions du code de la commande publique ;
B: rédige les documents du dossier de consultation (pièces administratives, financières et techniques) et l'avis d'appel public à la concurrence ;
B: gère les opérations de consultation, d’analyse des offres et de rédaction du projet de rapport à présenter à la Commission d’Appel d’offres (envoi aux publications, envoi des dossiers aux candidats, réception des plis, analyse des offres, etc.) ;
B: prend en charge les échanges avec les candidats (correspondances, demandes de régularisations, demandes de précisions, réponses aux demandes de communications de documents, etc…)
B: constitue et assure le secrétariat de la Commission d’Appel d’Offres et du groupe technique du groupement telles que définies aux articles 4 et 6 de la présente convention ;
B: informe les candidats du sort de leurs candidatures et de leur offre et leur communique les motifs du rejet de leur offre, le cas échéant ;
B: répond, le cas échéant, aux litiges liés à la passation du marché opérée en application de la présente convention ;
B: signe le(s) marché(s) ;
B: procède si nécessaire à la mise au point du marché ;
B: assure la transmission des dossiers au contrôle de légalité ;
B: s’engage à entreprendre toutes les mesures nécessaires à la protection des intérêts du groupement de commandes,
B: notifie le marché au(x) titulaire(s) lorsqu’il a été déposé au contrôle de légalité ;
B: passe et notifie les avenants éventuellement nécessaires à la bonne exécution du marché.
B: fournit à chaque adhérent les pièces contractuelles du marché ainsi que la lettre de notification.
P: Les actes originaux seront conservés et archivés par le coordonnateur dans ses locaux.
P: Le coordonnateur s’engage à transmettre aux autres membres toute information dont il aurait connaissance relative au marché et toute demande d’information dont il serait saisi, ainsi que tout document utile à la bonne exécution du marché.
H: Article 4 - Commission d’Appel d’Offres
P: La Commission d’Appel d’Offres du groupement est celle du coordonnateur conformément à l'article L.1414-3-II CGCT modifié par la loi n°2016-1691 du 9/12/2016.
P: La CAO peut également être assistée par des agents des membres du groupement, compétents dans la matière qui fait l’objet de la consultation ou en matière de marchés publics. Le Président de la Commission d’Appel d’Offres peut désigner des personnalités en raison de leur compétence dans la matière qui fait l’objet de la consultation. La décision d’attribution relèvera de celle-ci.
P: Le comptable public du coordonnateur du groupement et un représentant du directeur général de la concurrence, de la consommation et de la répression des fraudes, peuvent participer, avec voix consultative, aux réunions de la CAO, lorsqu’ils y sont invités.
H: Article 5 - Engagement des membres du groupement
P: Chaque membre du groupement devra s’assurer de la bonne exécution du marché pour la partie sur laquelle il s’est engagé.
P: Au titre de l’exécution du marché, chaque membre, pour ce qui le concerne :
B: passera les bons de commandes,
B: assurera la gestion propre de développements, d’évolutions et de chantiers techniques,
B: procédera à la constatation du service fait,
B: procédera au règlement des différends et litiges liés à l’exécution du marché pour la partie qui le concerne,
B: tiendra informé le coordonnateur de la bonne exécution de ses commandes et de toute difficulté rencontrée.
P: Chaque membre du groupement s’engage à ne pas communiquer auprès des candidats en amont et pendant la procédure de passation du marché, sur ladite procédure. A ce titre, ils ne peuvent communiquer les informations confidentielles dont ils ont eu connaissance lors de la procédure de passation, telles que celles dont la divulgation violerait le secret des affaires, ou celles dont la communication pourrait nuire à une concurrence loyale entre les opérateurs économiques (communication en cours de consultation du montant total ou du prix détaillé des offres, du savoir-faire, etc…)
P: Par ailleurs, « Constitue un conflit d'intérêts toute situation d'interférence entre un intérêt public et des intérêts publics ou privés qui est de nature à influencer ou à paraître influencer l'exercice indépendant, impartial et objectif d'une fonction » - Article 2, loi n° 2013-907 du 11 octobre 2013 relative à la transparence de la vie publique
P: Dès qu’il a connaissance d’un conflit d’intérêts, chaque membre du groupement de commandes (agent ou élu) doit informer le coordonnateur de cette situation pouvant l’empêcher de poursuivre de siéger. Il sera suppléé.
P: Outre le risque de la perte de confiance, le conflit d’intérêts peut conduire à des infractions pénalement répréhensibles.
H: Article 6 - Groupe technique du groupement
P: Le coordonnateur pourra, tout au long des travaux liés à la consultation, s’appuyer sur un groupe technique. Ce groupe technique sera composé :
B: du coordonnateur,
B: pour chaque adhérent au groupement de commandes, d’une personne reconnue pour sa compétence en la matière.
P: Le coordonnateur associera {{ experts }} aux travaux du groupe technique portant sur le cahier des clauses techniques particulières ainsi que pour des thématiques spécifiques.
P: Le coordonnateur planifiera les réunions en fonction de son organisation et des besoins et prendra toutes les dispositions nécessaires pour assurer la sécurité des échanges et des travaux.
P: Les membres du groupe technique, qu’ils soient adhérents au groupement de commandes ou associés, sont soumis à un strict respect des principes de confidentialité des procédures et des offres.
H: Article 7 - Adhésion des membres au groupement de commandes
P: Au-delà des adhérents fondateurs, le groupement de commande est ouvert à de nouveaux membres, sis en Hauts-de-France, {{ conditions_adhesion }}.
P: La demande d’adhésion est formulée auprès du coordonnateur par courrier ou courriel avec demande d'accusé de réception. Après examen et instruction de cette demande, le coordonnateur et les membres fondateurs devront délibérer pour approuver cette nouvelle adhésion.
P: La nouvelle adhésion se matérialisera par l’adoption et la signature d’un avenant à la présente convention par le coordonnateur, les membres fondateurs et le nouvel adhérent qui devra également présenter une délibération ou décision de l’instance habilitée à l’engager. Cet avenant signé sera retourné au coordonnateur qui le conservera et l'archivera dans ses locaux.
H: Article 8 - Retrait d’un membre du groupement
P: Les membres peuvent se retirer du groupement avec un préavis de {{ duree.preavis }}. Le retrait est constaté par une délibération de l’assemblée délibérante ou par une décision de l’instance autorisée de l’adhérent concerné notifié au coordinateur par courrier ou courriel avec AR.
P: Si le retrait intervient en cours de passation ou d’exécution des marchés, le retrait ne prend effet qu’à l’expiration des marchés.
H: Article 9 - Frais de fonctionnement
P: Les fonctions de coordonnateur sont exclusives de toute rémunération.
P: Les frais de fonctionnement du groupement sont pris en charge par le coordonnateur.
H: Article 10 - Dissolution du groupement
P: Le groupement est dissous :
B: de plein droit, au terme de l’échéance de la présente convention ;
B: sur décision de l’ensemble des assemblées délibérantes de chaque membre, notifiée au coordonnateur, formalisée par écrit et signée de l’ensemble des adhérents.
H: Article 11 - Règlement des litiges
P: Pour tout litige pouvant naître de l’exécution de la présente convention, les parties s’engagent à rechercher préalablement une solution amiable.
P: À défaut, la présente convention relève de la compétence du tribunal administratif de Lille.
P: La présente convention a été établie en 2 exemplaires originaux par membre du groupement.
E:
P: {{ fait_a }}
E:
"""


def _titles(member: str) -> list[str]:
    """The head of a member's signature block: "Pour …" and the qualité with its article."""
    return [f"{{{{ {member}.bloc.pour }}}}", f"{{{{ {member}.bloc.titre }}}}"]


def _name(member: str) -> list[str]:
    """The foot of a member's signature block: room to sign, then the name."""
    return ["", f"{{{{ {member}.bloc.nom }}}}"]


def member_signatures(document: DocumentType, members: str = "membre_liste") -> None:
    """Signature blocks two by two, as many rows as needed: one block per party of the list
    ``members`` (a groupement's members, an avenant's parties), in order.

    Each pair is one table row that never splits across pages (see docxbuild.signature_table);
    the second block of a pair is written only when the pair has two members. The tags are
    numbered #signature1#, #signature2#… in the members' order.
    """
    keep_closing_with_next(document)
    table = document.add_table(rows=3, cols=2)
    layout_table(table)
    table.rows[1]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    table.cell(0, 0).paragraphs[0].add_run(f"{{%tr for paire in {members}|batch(2) %}}")
    first = anchor_text("{{ loop.index * 2 - 1 }}")
    fill_signature_cell(table.cell(1, 0), [*_titles("paire[0]"), *_name("paire[0]")], first)
    second = anchor_text("{{ loop.index * 2 }}")
    lines = ["{%p if paire|length > 1 %}", *_titles("paire[1]"), *_name("paire[1]")]
    fill_signature_cell(table.cell(1, 1), lines, second)
    table.cell(1, 1).add_paragraph("{%p endif %}")
    table.cell(2, 0).paragraphs[0].add_run("{%tr endfor %}")


def build(path: Path) -> None:
    document = new_document()
    add_lines(document, BODY.splitlines())
    member_signatures(document)
    save(document, path)


if __name__ == "__main__":
    build(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "templates" / "groupement-commandes.docx"
    )
