"""Every sentence conventum says to a clerk about the data, keyed by its stable code: the one place to
read and review the French."""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal
from typing import Any

from conventum.french.formatting import format_amount, format_date, number_with_words
from conventum.french.grammar import DECISION_WORDS, capitalise, of_name, of_noun, organ_phrase, with_article

# One sentence per code; {name} placeholders come from the params.
MESSAGES: dict[str, str] = {
    "field.missing": "Le champ « {label} » est obligatoire et n’est pas renseigné.",
    "field.unknown": "Le champ « {field} » n’est pas prévu par ce type de convention{vouliez_vous_dire}",
    "field.not_in_choices": "La valeur « {value} » n’est pas permise{vouliez_vous_dire_valeur} possibles : {choices}.",
    "field.invalid_date": "La valeur « {value} » n’est pas une date : {reason}.",
    "field.invalid_number": "La valeur « {value} » n’est pas un nombre.",
    "field.invalid_integer": "La valeur « {value} » n’est pas un nombre entier.",
    "field.invalid_boolean": "La valeur « {value} » n’est pas oui ou non.",
    "field.invalid_text": "La valeur « {value} » n’est pas un texte.",
    "field.invalid_list": "Une liste est attendue ici.",
    "field.invalid_object": "Un ensemble de champs est attendu ici (et non « {value} »).",
    "field.empty": "Le champ « {label} » ne peut pas être vide.",
    "field.too_small": "La valeur « {value} » est trop petite (minimum : {limit}).",
    "field.too_large": "La valeur « {value} » est trop grande (maximum : {limit}).",
    "field.forme": "La valeur « {value} » n’a pas la forme attendue pour « {label} ».",
    "field.float_amount": "Le montant « {value} » doit être écrit en décimal exact.",
    "field.invalid": "La valeur « {value} » est invalide : {detail}.",
    "field.texte_trop_long": (
        "Le texte « {value} » compte {length} caractères, plus que les {limit} qu’un champ peut"
        " contenir : abrégez-le ou mettez-le en annexe."
    ),
    "field.caractere_interdit": (
        "La valeur « {value} » contient un caractère de contrôle ({code}, position {position})"
        " qu’un document Word ne peut pas contenir : retirez-le."
    ),
    "parties.role_unknown": "Le rôle « {role} » n’existe pas pour ce type ; rôles possibles : {choices}.",
    "parties.role_missing": "La partie « {label} » (rôle « {role} ») manque.",
    "parties.role_count": "Il faut entre {min} et {max} partie(s) « {label} », et non {count}.",
    "parties.nature_non_prevue": "La nature « {nature} » n’est pas prévue pour {role} ; natures possibles : {natures}.",
    "parties.nom_en_double": "{Partie} figure deux fois parmi les parties (voir aussi la partie n°{autre}).",
    "parties.designation_en_double": "La désignation « {designation} » est aussi celle de la partie n°{autre}.",
    "parties.qualite_nature": "La qualité « {qualite} » ne convient pas pour représenter {partie} ; qualités possibles : {qualites}.",
    "parties.delegation_sans_autorite": "La délégation de {representant} ne dit pas de qui elle vient (« autorite ») ; le document écrira « {phrase} ».",
    "parties.delegation_autorite_manquante": "La délégation de {representant} ne dit pas de qui elle vient (« autorite ») et un(e) {qualite} ne signe pas par délégation d’office : indiquez l’autorité délégante (« maire », « president »…).",
    "parties.numero_nature": "Le numéro « {numero} » annonce un(e) {annonce}, mais l’acte est déclaré {nature} : corrigez le numéro ou la nature.",
    "parties.delegation_autorite": "« {autorite} » ne peut pas déléguer sa signature pour {partie}.",
    "parties.civilite_qualite": "« {civilite} » et la qualité « {ecrit} » ne s’accordent pas ; le document écrira « {accorde} ».",
    "parties.code_postal_invalide": "Le code postal « {code_postal} » {de_partie} doit compter cinq chiffres.",
    "parties.hors_territoire": "Le code postal {code_postal} {de_partie} est hors du territoire de la convention (départements {departements}).",
    "parties.autorisation_manquante": "Aucune décision n’autorise {partie} à signer la convention.",
    "parties.coordonnateur_non_membre": "Le coordonnateur « {coordonnateur} » n’est pas membre du groupement ({membres}).",
    "dates.autorisation_apres_signature": "{Decision} est postérieur{e} à la signature du {signature}.",
    "dates.decision_future": "{Decision} est dans le futur (aujourd’hui : {aujourdhui}) ; une décision déjà prise est attendue.",
    "dates.date_future": "La date du {date} est dans le futur (aujourd’hui : {aujourdhui}) ; une date passée est attendue.",
    "dates.avis_apres_seance": "L’avis de la commission du {avis} est postérieur à la séance du {seance}.",
    "dates.deliberation_hors_seance": "La délibération est datée du {deliberation}, et non du jour de la séance, le {seance}.",
    "dates.signature_avant_deliberation": "La signature du {signature} précède la délibération du {deliberation} qui l’autorise.",
    "dates.fin_avant_debut": "La fin au {fin} précède le début au {debut}.",
    "dates.fin_incoherente": "La fin au {fin} ne correspond pas à une durée de {duree} à compter du {debut} (renouvellements compris) ; fin attendue : {attendue}.",
    "dates.hors_calendrier": "La durée commencée le {debut} se terminerait après le 31 décembre 9999, au-delà du calendrier : une date de la convention est sans doute erronée.",
    "dates.duree_absente": "La durée n’est pas indiquée : donnez-la en années ou en mois, ou déclarez-la indéterminée.",
    "dates.duree_contradictoire": "Une durée indéterminée ne peut pas aussi être de {duree}.",
    "dates.reconduction_sans_terme": "Une convention à durée indéterminée n’a pas de reconduction {mode}.",
    "dates.renouvellement_sans_reconduction": "Des renouvellements ({nombre}) sont prévus sans mode de reconduction : choisissez tacite ou expresse, ou aucun renouvellement.",
    "dates.preavis_trop_long": "Le préavis de {preavis} n’est pas plus court que la durée de {duree} : il faudrait dénoncer la convention avant même qu’elle commence.",
    "dates.renouvellement_excessif": "La fin au {fin} dépasse le nombre de renouvellements permis ({nombre}) : la convention prend fin au plus tard le {fin_max}.",
    "dates.preavis_tardif": "Le {date} est trop tard : le préavis de {preavis} impose de se prononcer au plus tard le {limite}.",
    "annexes.numerotation": "L’annexe « {titre} » porte le n°{numero}, hors de la suite 1 à n sans trou ni doublon (le n°{attendu} manque).",
    "annexes.fichier_introuvable": "Le fichier « {fichier} » de l’annexe n°{numero} est introuvable.",
    "annexes.fichier_illisible": "Le fichier « {fichier} » de l’annexe n°{numero} ne peut pas être lu.",
    "annexes.pdf_invalide": "Le fichier « {fichier} » de l’annexe n°{numero} n’est pas un PDF lisible.",
    "annexes.pdf_chiffre": "Le PDF « {fichier} » de l’annexe n°{numero} est protégé par un mot de passe.",
    "annexes.pdf_vide": "Le PDF « {fichier} » de l’annexe n°{numero} ne contient aucune page.",
    "annexes.format": "Le fichier « {fichier} » de l’annexe n°{numero} doit être un PDF ou un DOCX.",
    "annexes.docx_invalide": "Le fichier « {fichier} » de l’annexe n°{numero} n’est pas un DOCX lisible.",
    "annexes.docx_chiffre": "Le DOCX « {fichier} » de l’annexe n°{numero} est protégé par un mot de passe.",
    "annexes.citee_absente": "Le texte de la convention cite l’annexe n°{numero}, qui n’est pas dans la liste des annexes.",
    "annexes.hors_dossier": "Le fichier « {fichier} » de l’annexe n°{numero} est hors du dossier des annexes : seuls ses fichiers sont acceptés.",
    "annexes.pdfa_non_conforme": "Le PDF « {fichier} » de l’annexe n°{numero} n’est pas au format PDF/A : le document assemblé ne l’est donc pas entièrement.",
    "annexes.non_fournie": "L’annexe n°{numero} « {titre} » n’est pas fournie (aucun fichier).",
    "montants.negatif": "Le montant {montant} est négatif.",
    "montants.total_faux": "Le total de {montant} n’est pas la somme des lignes, {attendu}.",
    "montants.proposition_excessive": "La proposition de {proposition} dépasse le disponible de {disponible}.",
    "montants.solde_faux": "Le solde de {solde} devrait être {attendu} (disponible {disponible} − proposition {proposition}).",
    "montants.exemplaires": "{exemplaires} exemplaires sont prévus ; il en faut {attendu} pour {parties} parties.",
    "montants.exemplaires_par_partie": "Le schéma prévoit {exemplaires} exemplaires par partie ; il en faut {attendu} par partie.",
    "montants.grille_sans_tranche": "Aucune ligne de la grille ne correspond à {criteres}.",
    "montants.tarif_hors_grille": "Le tarif saisi de {montant} diffère de celui de la grille, {grille}, pour {criteres}.",
    "votes.chiffre_negatif": "Le nombre de voix {chiffre} est négatif.",
    "votes.total_excessif": "{votants_voix} pour {membres_appeles} à voter.",
    "votes.resultat_incoherent": "Le résultat « {resultat} » ne correspond pas au vote ({pour} pour, {contre} contre).",
    "votes.total_incomplet": "{votants_voix} (pour, contre, abstentions) pour {membres_appeles} à voter : {ecart_manque} (absents sans délégation, élus ne prenant pas part au vote ?).",
    # validate.rules.geography (the official geography: conventum.geo)
    "geo.insee_inconnu": "Le code INSEE {insee} ne désigne aucune commune ni aucun département du code officiel géographique.{suggestion}",
    "geo.insee_ancienne_commune": "Le code INSEE {insee} est celui de {nom}, qui n’est plus une commune : elle fait partie de {commune}, dont il faut donner le code.",
    "geo.siren_inconnu": "Le SIREN {siren} n’est celui d’aucune commune ni d’aucun EPCI à fiscalité propre.{suggestion}",
    "geo.commune_inconnue": "« {nom} » n’est le nom d’aucune commune du code officiel géographique.{suggestion}",
    "geo.commune_ancienne": "« {nom} » n’est plus une commune : c’est une commune {statut} de {commune}, qui signe pour elle.",
    "geo.commune_homonyme": "Plusieurs communes s’appellent « {nom} » ({communes}) et le code postal ne les départage pas : indiquez le code INSEE (insee).",
    "geo.departement_inconnu": "« {nom} » n’est le nom d’aucun département.{suggestion}",
    "geo.epci_inconnu": "« {nom} » n’est le nom d’aucun EPCI à fiscalité propre (liste de la DGCL).{suggestion}",
    "geo.nature_epci": "Selon la liste de la DGCL, {partie} est une « {officiel} » (SIREN {code}), et non une « {nature} ».",
    "geo.nature_officielle": "Le code {code} est celui de {nom}, de nature « {officiel} », et non « {nature} ».",
    "geo.nom_officiel": "Le nom « {nom} » diffère du nom officiel « {officiel} » (code {code}) ; le document écrira « {nom} ».",
    "geo.departement_officiel": "Le département {departement} diffère de celui de {nom} au code officiel géographique : {officiel}.",
    "geo.article_officiel": "L’article « {article} » diffère de l’article officiel de {nom} (« {officiel} ») ; le document écrira « {article} ».",
    "geo.siren_officiel": "Le SIREN {siren} diffère de celui de {nom} au code officiel géographique : {officiel}.",
    "geo.code_postal_inconnu": "Le code postal {code_postal} n’existe pas dans la base officielle des codes postaux{codes_de_ville}.",
    "geo.code_postal_cedex": "Le code postal {code_postal} n’est pas un code de distribution {de_ville}{codes_de_ville} : si c’est un code CEDEX, indiquez « cedex: oui » ; sinon, corrigez-le.",
    "geo.ville_code_postal": "Le code postal {code_postal} n’est pas celui {de_ville}{codes_de_ville} : il dessert {communes}.",
    "geo.ville_inconnue": "« {ville} » n’est aucune des communes que dessert le code postal {code_postal} : {communes}.",
    "geo.siege_hors_commune": "L’adresse est à {ville}, hors de la commune {de_commune} ({codes}) dont c’est le siège.",
    "geo.cdg_departement": "{Partie} relève du département {departement} ({nom_departement}) : son centre de gestion est celui de ce département, et non {cdg} ({cdg_departement}).",
    "geo.siren_invalide": "Le SIREN {siren} n’est pas valide : sa clé de contrôle est fausse.",
    "geo.siret_invalide": "Le SIRET {siret} n’est pas valide : sa clé de contrôle est fausse.",
    "geo.siret_siren": "Le SIRET {siret} ne commence pas par le SIREN {siren} de la partie.",
    "dossier.discordance": "« {valeur} » diffère de « {reference} » ({champ_reference}).",
    # dossier
    "dossier.champ_partage": "« {champ} » est donné une fois pour tout le dossier : retirez-le d’ici.",
    "dossier.partie_autorisee_absente": "La convention n’a pas de partie de rôle « {role} » à autoriser.",
    "dossier.montant_discordant": "La dépense proposée de {proposition} diffère de la contribution de {contribution} calculée pour la convention.",
    # word.checking (the template check)
    "template.syntax": "Erreur de syntaxe : {detail} — « {texte} »",
    "template.block_unclosed": "Le bloc « {tag} » n’est jamais fermé : il manque « {{% {fin} %}} ».",
    "template.block_stray": "La balise « {tag} » ne ferme ni ne continue aucun bloc ouvert (dernier ouvert : {ouvert}).",
    "template.unknown_filter": "Le filtre « {name} » n’existe pas{suggestion} — « {texte} »",
    "template.unknown_test": "Le test « {name} » n’existe pas{suggestion} — « {texte} »",
    "template.unknown_attribute": "« {path} » : « {name} » n’existe pas dans les données du type{suggestion} — « {texte} »",
    "template.budget": "Le modèle dépasse à lui seul les limites du remplissage : {detail}.",
    "template.split_tag": "La balise « {tag} » est coupée en plusieurs morceaux de texte (--fix la recolle).",
    "template.split_tag_fixed": "La balise « {tag} » était coupée en plusieurs morceaux : recollée.",
    "template.unknown_variable": "La variable « {name} » est utilisée mais n’est pas dans le schéma — « {texte} »",
    "template.unused_field": "Le champ « {name} » ({label}) est demandé mais le modèle ne l’imprime pas et aucun calcul ni aucune règle ne le lit : imprimez-le, ou déclarez-le « imprime: false » avec sa « raison ».",
    "template.non_imprime_sans_raison": "Le champ « {name} » ({label}) est déclaré « imprime: false » sans « raison » : dites pourquoi il est demandé.",
    "template.tag_not_rendered": "Balise dans une note ou un commentaire, que le remplissage ignore — « {texte} »",
    "template.placeholder": "Texte d’emplacement d’origine « {placeholder} » resté — « {texte} »",
    # validate.rules.seance
    "seance.assemblee_inconnue": "L’assemblée « {value} » est inconnue ; assemblées connues : {choices}.",
    "seance.membre_inconnu": "« {value} » n’est pas un élu de l’assemblée.{hint}",
    "seance.membre_en_double": "{value} figure dans plusieurs listes de présence.",
    "seance.groupe_inconnu": "Le groupe « {value} » est inconnu ; groupes connus : {choices}.",
    "seance.officier_inconnu": "L’officier « {value} » est inconnu ; officiers connus : {choices}.",
    "seance.reference_inconnue": "« {{{value}}} » ne renvoie à rien : renseignez « {value} ».",
    "vote.partage": "Partage des voix ({pour} pour, {contre} contre) : indiquez la voix prépondérante.",
    "vote.absents_incoherents": "{voix_absents} sans délégation {voix_annonces}, {membres_nommes}.",
    "seance.pouvoir_mandant_present": "{value} est présent(e) : un élu présent vote lui-même et ne donne pas de pouvoir.",
    "seance.pouvoir_sans_delegation": "{value} est nommé(e) parmi les absents sans délégation de vote mais donne un pouvoir.",
    "seance.pouvoir_mandataire_absent": "{value} n’est pas parmi les présents : un pouvoir ne peut être donné qu’à un élu présent.",
    "seance.pouvoir_mandataire_interesse": "{value} ne prend pas part au vote (intéressé à l’affaire) et ne peut pas voter pour un autre.",
    "seance.pouvoirs_multiples": "{value} détient déjà un pouvoir ({premier}) : un élu ne peut en détenir qu’un seul.",
    # seance.assemblyfile
    "assemblee.president_non_membre": "Le président « {value} » n’est pas un des membres.",
    "assemblee.groupe_inconnu": "Le groupe « {value} » n’est pas déclaré dans « groupes » ({choices}).",
    # context.calculations.groupement
    "groupement.coordonnateur_inconnu": "Le coordonnateur « {value} » n’est aucun des membres du groupement ; membres possibles : {choices}.",
    # context.calculations.services_numeriques
    "calcul.grille_absente": "Aucune grille de tarifs « {grille} » n’est en vigueur au {date} (la plus ancienne s’applique à partir du {premiere}).",
    "services.service_inconnu": "Le service « {value} » n’est pas dans la grille de tarifs ; services possibles : {choices}.",
    "services.socle_et_carte": "Les services à la carte et « Démarches simplifiées » se souscrivent sans le pack « Socle numérique de base » : retirez-les ou retirez le pack.",
    "services.option_sans_socle": "L’option matériel n’existe qu’avec le pack « Socle numérique de base ».",
    "services.aucun_service": "Aucun service n’est souscrit : indiquez le pack « Socle numérique de base » ou des services à la carte.",
    "services.effectif_manquant": "La catégorie « Démarches simplifiées » se déduit {base} : renseignez le champ « {label} ».",
    # actes (issue 27: the hand-off to the contrôle de légalité)
    "actes.numero_forme": "Le numéro de l’acte « {value} » est refusé par @CTES : {raisons} (chiffres, lettres majuscules et « _ » seulement, 15 au plus ; par exemple « {proposition} »).",
    "actes.objet_vide": "L’objet de l’acte est vide.",
    "actes.objet_trop_long": "L’objet de l’acte compte {longueur} caractères : @CTES en accepte au plus {limite}.",
    "actes.objet_retour_ligne": "L’objet de l’acte contient un retour à la ligne (caractère {position}) : il doit tenir sur une seule ligne.",
    "actes.siren_invalide": "Le SIREN « {value} » de la collectivité n’est pas valide (9 chiffres et une clé juste).",
    "actes.departement_forme": "Le département « {value} » doit s’écrire sur trois caractères (062, 02A, 974).",
    "actes.decision_apres_transmission": "La date de la décision ({decision}) est postérieure à la date de transmission ({transmission}).",
    "actes.matiere_forme": "La classification « {value} » doit compter de 2 à 5 niveaux de chiffres séparés par des points (par exemple 1.4 ou 7.10.2).",
    "actes.matiere_inconnue": "La classification « {value} » n’existe pas dans la classification de la collectivité (version du {version}).",
    "actes.nature_absente": "La nature d’acte « {nature} » ({code}) n’est pas dans la classification de la collectivité.",
    "actes.piece_inconnue": "Le type de pièce « {code} » ({role}) n’existe pas pour la nature « {nature} » dans la classification ; types possibles : {choices}.",
    "actes.piece_matiere": "Le type de pièce « {code} » ne vaut pas pour la matière {matiere} (ses deux chiffres désignent une autre matière).",
    "actes.fichier_absent": "Le fichier {fichier} est introuvable.",
    "actes.fichier_pas_pdf": "Le fichier {fichier} n’est pas un PDF : @CTES n’accepte l’acte et ses annexes qu’en PDF.",
    "actes.envoi_trop_grand": "L’acte et ses annexes pèsent {taille} : un tiers de télétransmission en accepte au plus {limite}.",
    "actes.types_non_controles": "Sans classification (option --classification), les types de pièces ({codes}) et la matière {matiere} n’ont pas été contrôlés : le TdT les refusera s’ils manquent à la classification de la collectivité.",
    "actes.numero_absent": "Le numéro de l’acte n’est pas renseigné (option --numero).",
    "actes.matiere_absente": "La classification de l’acte (matière) n’est pas renseignée (option --matiere).",
    "actes.date_absente": "La date de la décision n’est pas connue : donnez-la (option --date-decision).",
    "actes.siren_absent": "Le SIREN de la collectivité qui transmet n’est pas connu (option --siren).",
    "actes.departement_absent": "Le département de la collectivité qui transmet n’est pas connu (option --departement).",
    # publication (issue 27: what the law requires to publish since 1 July 2022)
    "publication.deliberation_sans_classification": "La délibération n°{numero} n’a pas de matière de classification (clé « matiere »).",
    "publication.mise_en_ligne_avant_seance": "La mise en ligne ({mise_en_ligne}) précède la séance du {seance}.",
    "publication.liste_tardive": "La liste des délibérations est mise en ligne le {mise_en_ligne}, plus d’une semaine après la séance du {seance} (article L. 2121-25 du CGCT : dans la semaine).",
    "publication.siret_invalide": "Le SIRET « {value} » de la collectivité n’est pas valide (14 chiffres et une clé juste).",
    "publication.votes_incoherents": "Délibération n°{numero} : {votants} votants pour {effectif} membres en exercice.",
    # avenants (issue 28: an avenant to a registered convention)
    "avenant.section_inconnue": "La section « {section} » n’est pas prévue dans un fichier d’avenant ; sections possibles : {sections}.",
    "avenant.champs_absents": "La section « avenant » (numéro, date d’effet, signature, autorisations) manque.",
    "avenant.chemin_invalide": "« {chemin} » n’est pas un chemin de champ (par exemple : parties[0].representant.nom).",
    "avenant.type": "Un avenant ne change pas le type de la convention : établissez une nouvelle convention.",
    "avenant.champ_introuvable": "Le champ « {chemin} » n’existe pas dans la convention inscrite au registre.",
    "avenant.ajout_liste": "« {chemin} » n’est pas une liste de la convention : « ajouter » ajoute une liste d’éléments à une liste.",
    "avenant.sans_partie": "L’avenant retire toutes les parties de la convention : il en faut au moins une (pour y mettre fin, résiliez-la).",
    "avenant.sans_modification": "L’avenant ne modifie rien : la convention modifiée serait identique à la convention inscrite.",
    "avenant.sans_effet": "Les modifications ({chemins}) ne changent aucun article de la convention : un avenant doit en modifier le texte.",
    "avenant.date_avant_signature": "La date du {date} précède la signature de la convention n°{numero} (le {signature}).",
    "avenant.numero_pris": "La convention n°{convention} a déjà un avenant n°{numero} : le prochain est le n°{prochain}.",
    "avenant.autorisation_inconnue": "« {cle} » ne désigne aucune partie de la convention modifiée (un rôle, ou parties[N]).",
    "avenant.autorisation_absente": "Aucune décision n’autorise {partie} (rôle « {role} ») à signer l’avenant : son paragraphe n’en citera pas.",
    "avenant.autorisation_apres_signature": "La décision du {date} est postérieure à la signature de l’avenant (le {signature}).",
}


def _plain_date(value: date) -> str:
    """A date in a clerk's message: the document's words, with the ordinary spaces of the sentence."""
    return format_date(value).replace("\u00a0", " ")


def _french(value: Any) -> Any:
    if isinstance(value, date):
        return _plain_date(value)
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_french(item)) for item in value)
    return value


def render_message(code: str, params: dict[str, Any]) -> str:
    """The French sentence for an issue code, its values written the French way."""
    template = MESSAGES.get(code)
    if template is None:
        return f"{code} : {params}"
    values = {key: _french(value) for key, value in params.items()}
    values.update(_derived(params))
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return f"{template} ({params})"


def _closest(value: Any, choices: str) -> str | None:
    """The offered value closest to a mistyped one (« conseil-administration » → « conseil-d-administration »).

    >>> _closest("conseil-administration", "conseil-municipal, conseil-d-administration, bureau")
    'conseil-d-administration'
    """
    offered = [choice.strip() for choice in choices.split(",") if choice.strip()]
    close = difflib.get_close_matches(str(value), offered, n=1, cutoff=0.75) if value is not None else []
    return close[0] if close else None


def _derived(params: dict[str, Any]) -> dict[str, str]:
    """Phrases built from several parameters: the decision, the party capitalised, the term."""
    derived: dict[str, str] = {}
    if {"decision_nature", "decision_organe", "decision_date"} <= params.keys():
        word, gender = DECISION_WORDS.get(params["decision_nature"], ("décision", "f"))
        organ = of_noun(organ_phrase(params["decision_organe"]))
        phrase = with_article(word, gender) + f" {organ} du {_plain_date(params['decision_date'])}"
        derived |= {"Decision": capitalise(phrase), "e": "e" if gender == "f" else ""}
    if isinstance(params.get("partie"), str):
        derived["Partie"] = capitalise(params["partie"])
        derived["de_partie"] = of_noun(params["partie"])  # "du Syndicat mixte …", "de la Commune …"
    if "field" in params:  # a key the schema does not know: the close one it meant, if any
        close = params.get("proche")
        derived["vouliez_vous_dire"] = f" : vouliez-vous dire « {close} » ?" if close else "."
    if "choices" in params:  # a value out of the list: the close one it meant, if any
        close = _closest(params.get("value"), str(params["choices"]))
        derived["vouliez_vous_dire_valeur"] = (
            f" : vouliez-vous dire « {close} » ? Valeurs" if close else " ; valeurs"
        )
    derived |= _places(params)
    derived |= _counts(params)
    years, months = params.get("duree_annees") or 0, params.get("duree_mois") or 0
    if years or months:
        derived["duree"] = _length(years, months)
    if params.get("preavis_mois"):
        derived["preavis"] = number_with_words(params["preavis_mois"], "mois")
    return derived


def _counts(params: dict[str, Any]) -> dict[str, str]:
    """Figures agreed in number: "1 voix est décomptée", "2 voix manquent", "1 absent annoncé"."""
    derived: dict[str, str] = {}
    if isinstance(params.get("votants"), int):
        count = params["votants"]
        derived["votants_voix"] = f"{count} voix " + ("sont décomptées" if count > 1 else "est décomptée")
    if isinstance(params.get("membres"), int):
        count = params["membres"]
        derived["membres_appeles"] = f"{count} membre" + ("s appelés" if count > 1 else " appelé")
    if isinstance(params.get("ecart"), int):
        gap = params["ecart"]
        derived["ecart_manque"] = f"{gap} voix " + ("manquent" if gap > 1 else "manque")
    if isinstance(params.get("voix"), int) and isinstance(params.get("membres"), int):
        count, named = params["voix"], params["membres"]
        derived["voix_absents"] = f"{count} absent" + ("s" if count > 1 else "")
        derived["voix_annonces"] = "annoncés" if count > 1 else "annoncé"
        derived["membres_nommes"] = f"{named} élu" + ("s nommés" if named > 1 else " nommé")
    return derived


def _places(params: dict[str, Any]) -> dict[str, str]:
    """Phrases of the geography's issues: "d’Arras", " (Arras : 62000)", the closest names."""
    derived: dict[str, str] = {}
    if isinstance(params.get("ville"), str):
        derived["de_ville"] = of_name(params["ville"])
        codes = params.get("codes")
        derived["codes_de_ville"] = f" ({', '.join(codes)})" if codes else ""
    if isinstance(params.get("commune"), str):
        derived["de_commune"] = of_name(params["commune"])
    if "proches" in params:
        close = params["proches"]
        derived["suggestion"] = f" Noms proches : {', '.join(close)}." if close else ""
    return derived


def _length(years: int, months: int) -> str:
    parts = [number_with_words(years, "an" if years == 1 else "ans")] if years else []
    parts += [number_with_words(months, "mois")] if months else []
    return " et ".join(parts)
