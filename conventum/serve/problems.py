"""The French sentences of the server's HTTP errors, by stable code, and the error they raise."""

from __future__ import annotations

import re
from typing import Any

HTTP_MESSAGES: dict[str, str] = {
    "requete.json_invalide": "Le corps de la requête n’est pas du JSON valide : {detail}.",
    "requete.json_objet": "Le corps de la requête doit être un objet JSON (les champs de la convention).",
    "requete.type_contenu": ("Type de contenu « {recu} » non pris en charge ; attendu : {attendu}."),
    "requete.trop_grande": "La requête dépasse la taille permise ({limite}).",
    "requete.trop_lente": (
        "La requête n’est pas arrivée à temps (rien reçu pendant {delai} s) : connexion fermée."
    ),
    "requete.champ_manquant": "Le champ « {champ} » du formulaire manque.",
    "requete.parametre": "Le paramètre « {nom} » vaut « {valeur} » ; valeurs possibles : {choix}.",
    "requete.champ_refuse": "Le formulaire est refusé : {detail}.",
    "requete.mal_formee": "La requête est mal formée : {detail}.",
    "requete.origine": (
        "Cet envoi vient d’une autre origine ({origine}) que ce serveur ({hote}) : il est refusé pour"
        " protéger le formulaire. Ouvrez le formulaire depuis le serveur lui-même et envoyez-le de nouveau."
    ),
    "requete.hote": (
        "Ce serveur ne répond pas au nom « {hote} » (en-tête Host) : utilisez son adresse habituelle,"
        " ou ajoutez ce nom avec --allowed-host."
    ),
    "requete.date": "Le paramètre « {nom} » n’est pas une date : {raison}.",
    "requete.valeur": "Le champ « {nom} » est refusé : {raison}.",
    "requete.nom_fichier": (
        "Le nom de fichier « {nom} » n’est pas permis : un simple nom sans dossier est attendu."
    ),
    "requete.annexe_sans_fichier": (
        "L’annexe n°{numero} renvoie au fichier « {fichier} », qui n’a pas été envoyé avec la requête."
    ),
    "tableur.format": "Le fichier « {nom} » n’est pas un tableur (attendu : .xlsx ou .csv).",
    "tableur.illisible": "Le tableur ne peut pas être lu : {detail}",
    "type.inconnu": "{detail}",
    "lot.inconnu": "Aucun lot « {id} » n’existe sur ce serveur.",
    "lot.pas_fini": "Le lot « {id} » n’est pas terminé ({statut}) : ses documents ne sont pas encore prêts.",
    "service.occupe": (
        "Le serveur est occupé ({attente} demande(s) en attente) : réessayez dans {secondes} seconde(s)."
    ),
    "service.delai": "Le document n’a pas pu être produit dans le délai de {delai} secondes : réessayez.",
    "service.delai_demande": (
        "La demande n’a pas pu être traitée dans le délai de {delai} secondes : réessayez."
    ),
    "service.sature": (
        "Le serveur est saturé ({attente} demande(s) en attente de vérification) : réessayez dans"
        " {secondes} seconde(s)."
    ),
    "service.arret": "Le serveur s’arrête : réessayez dans un instant.",
    "service.conversion": "La conversion en PDF a échoué : {detail}",
    "service.modele": "Le modèle du document est en erreur : {detail}",
    "service.stockage_plein": (
        "Le stockage partagé est plein : {detail}. Rien n’a été enregistré ; faites de la place, puis"
        " envoyez de nouveau."
    ),
    "service.file": (
        "La file de tâches ou le stockage partagé est injoignable : {detail}. Réessayez plus tard."
    ),
    "auth.jeton": "Un jeton d’accès est nécessaire (en-tête « Authorization: Bearer … »).",
    "auth.jeton_agenda": (
        "Un jeton d’accès est nécessaire : ajoutez « ?jeton=… » à l’adresse d’abonnement du calendrier"
        " (ou l’en-tête « Authorization: Bearer … »)."
    ),
    "auth.jeton_invalide": "Le jeton d’accès n’est pas reconnu.",
    "page.introuvable": "Aucune page à l’adresse « {chemin} ».",
    "methode.interdite": "La méthode {methode} n’est pas permise à cette adresse.",
    "registre.numero_inconnu": "{detail}",
    "registre.resiliee": "{detail}",
    "registre.expiree": "{detail}",
    "registre.refus": "{detail}",
    "registre.occupe": "{detail}",
    "registre.indisponible": "Le registre n’est pas accessible : {detail}",
    "interne": "Erreur interne du serveur ; le détail est dans son journal.",
}


# What Starlette says of a multipart or form body it cannot read, in French.
CLIENT_REASONS = (
    (re.compile(r"Missing boundary in multipart"), "le séparateur (boundary) du multipart manque"),
    (re.compile(r"Invalid multipart data"), "le contenu multipart est invalide"),
    (re.compile(r"Too many fields\D*(\d+)"), "trop de champs (au plus {0})"),
    (re.compile(r"Too many files\D*(\d+)"), "trop de fichiers (au plus {0})"),
    (re.compile(r"(?:Field|Part) exceeded maximum size of (\d+)KB"), "un champ dépasse {0} Ko"),
    (re.compile(r'"name" must be provided'), "une partie du multipart n’a pas de nom (Content-Disposition)"),
)


def client_reason(detail: object) -> str:
    """A client error's reason in French (Starlette's words, cut short, for one it does not know)."""
    text = str(detail or "")
    for pattern, french in CLIENT_REASONS:
        found = pattern.search(text)
        if found:
            return french.format(*found.groups())
    return text[:200].rstrip(".") or "requête invalide"


def http_message(code: str, **params: Any) -> str:
    """The French sentence of an HTTP error code, its placeholders filled."""
    return HTTP_MESSAGES[code].format(**params)


class HttpProblem(Exception):
    """An HTTP error answered as ``{"erreur": {"code", "message"}}`` with its status."""

    def __init__(
        self, status: int, code: str, *, headers: dict[str, str] | None = None, **params: Any
    ) -> None:
        self.status = status
        self.code = code
        self.message = http_message(code, **params)
        self.headers = headers or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        return {"erreur": {"code": self.code, "message": self.message}}
