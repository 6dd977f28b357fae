"""The phrases of a délibération and of its rapport, derived from the meeting's data."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from conventum.clauses.comparution import without_cedex
from conventum.errors import UsageError
from conventum.french.formatting import format_date, format_date_numeric
from conventum.french.grammar import of_noun, with_article
from conventum.french.places import town_name
from conventum.french.typography import accent_capitals
from conventum.model.blocks import Convention
from conventum.seance.assembly import agreed_title, attendance, interested_phrase, member, members
from conventum.seance.assemblyfile import load_assembly
from conventum.seance.budget import budget_view
from conventum.seance.votes import vote_view

# The lists of a délibération's heading, in the order it writes them.
ATTENDANCE = (
    ("presents", "Étaient présents"),
    ("excuses", "Excusé(s)"),
    ("absents", "Absent(s)"),
    ("assistants_sans_voix", "Assistant également sans voix délibérative"),
    ("excuses_sans_voix", "Excusé(s) sans voix délibérative"),
)
ACCENTED = str.maketrans({"é": "É", "è": "È", "ê": "Ê", "à": "À", "ç": "Ç", "ô": "Ô", "î": "Î", "û": "Û"})


def upper(text: str) -> str:
    """Capitals that keep their accents, as French typography wants: "RÉUNION DU 8 DÉCEMBRE 2025"."""
    return text.translate(ACCENTED).upper()


REFERENCE = re.compile(r"\{([a-z_]+)\}")


def references(text: str) -> list[str]:
    """The names a text refers to: "{convention}" → ["convention"]."""
    return REFERENCE.findall(text)


def fill(text: str, values: dict[str, str]) -> str:
    """Replace "{convention}" and the like by the dossier's values (the rules check the names first)."""

    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise UsageError(f"« {{{match.group(1)}}} » n’est pas défini (texte : « {text[:60]}… »)")
        return values[match.group(1)]

    return REFERENCE.sub(value, text)


# Names a text may cite whatever the data: the assembly's president, agreed with the person.
ALWAYS_KNOWN = ("president",)


def reference_values(data: dict[str, Any], assembly: dict[str, Any] | None = None) -> dict[str, str]:
    """What texts may cite: the convention's designation and its other parties, when given; with the
    assembly, "{president}" ("le Président du Conseil départemental", "la Présidente …" for a woman)."""
    convention = data.get("convention") or {}
    values = {"convention": convention.get("designation"), "partenaires": convention.get("partenaires")}
    if assembly is not None:
        values["president"] = president_title(assembly)
    return {name: value for name, value in values.items() if value}


def president_title(assembly: dict[str, Any]) -> str:
    """The assembly's president with the article, agreed: "la Présidente du Conseil départemental"."""
    feminine = member(assembly, assembly["president"]["membre"]).feminine
    return with_article(agreed_title(assembly["president"]["titre"], feminine), "f" if feminine else "m")


def meeting_title(day: date) -> str:
    """ "RÉUNION DU 18 SEPTEMBRE 2023"."""
    return upper(f"réunion du {format_date(day)}")


def ordinal_suffix(rank: int) -> str:
    """ "1re", "6e": the abbreviations of French typography (not "1ère", "6ème")."""
    return "1re" if rank == 1 else f"{rank}e"


def commission_view(commission: dict[str, Any]) -> dict[str, str]:
    """The commission that gave its opinion, as the visa and the rapport write it."""
    rank = ordinal_suffix(commission["rang"])
    return {
        "nom": f"{rank} commission",
        "Nom": f"{rank} Commission",
        "intitule": commission["intitule"],
        "date": format_date_numeric(commission["date"]),
    }


def visas(data: dict[str, Any], assembly: dict[str, Any]) -> list[str]:
    """The "Vu …" lines: those given, then the rapport and the commission's opinion."""
    commission = commission_view(data["commission"])
    lines = [f"Vu {text}" for text in data["visas"]]
    lines.append(f"Vu le rapport {of_noun(president_title(assembly))}, ci-annexé\u00a0;")
    lines.append(
        f"Vu l’avis de la {commission['nom']} « {commission['intitule']} » rendu lors de "
        f"sa réunion en date du {commission['date']} ;"
    )
    return lines


def articles(texts: list[str], values: dict[str, str]) -> list[dict[str, str]]:
    """ "Article unique" for one article, "Article 1", "Article 2"… otherwise."""
    if len(texts) == 1:
        return [{"titre": "Article unique", "texte": fill(texts[0], values)}]
    return [{"titre": f"Article {n}", "texte": fill(text, values)} for n, text in enumerate(texts, start=1)]


def presence(data: dict[str, Any], assembly: dict[str, Any]) -> list[dict[str, str]]:
    """The non-empty attendance lists, each with its label; then the pouvoirs given."""
    lists = [
        {"libelle": label, "liste": attendance(members(assembly, data[key]))}
        for key, label in ATTENDANCE
        if data.get(key)
    ]
    proxies = data.get("pouvoirs") or []
    if proxies:
        given = [
            f"{member(assembly, p['mandant']).short} à {member(assembly, p['mandataire']).short}"
            for p in proxies
        ]
        lists.append({"libelle": "Pouvoirs" if len(given) > 1 else "Pouvoir", "liste": ", ".join(given)})
    return lists


def interested(data: dict[str, Any], assembly: dict[str, Any]) -> list[str]:
    """The sentences on the members "intéressés à l’affaire"."""
    given = data.get("interesses") or {}
    sentences = []
    if given.get("sans_participation"):
        sentences.append(interested_phrase(members(assembly, given["sans_participation"]), excused=False))
    if given.get("excuses_sans_delegation"):
        sentences.append(interested_phrase(members(assembly, given["excuses_sans_delegation"]), excused=True))
    return sentences


def heading(data: dict[str, Any], assembly: dict[str, Any]) -> dict[str, Any]:
    """What both documents share: collectivity, organ, meeting, title, president."""
    president = member(assembly, assembly["president"]["membre"])
    titles = {
        key: accent_capitals(agreed_title(assembly["president"][key], president.feminine))
        for key in ("titre", "signature", "signature_rapport")
    }
    organ = assembly["organe"]
    return {
        # The assembly file's headings in capitals keep their accents (« DÉPARTEMENT », « DÉLIBÉRATION »).
        "collectivite": accent_capitals(assembly["collectivite"]),
        "organe": {
            **organ,
            "entete": [accent_capitals(line) for line in organ["entete"]],
            "rapport": accent_capitals(organ["rapport"]),
        },
        "reunion_titre": meeting_title(data["reunion"]),
        "objet_titre": upper(data["objet"]),
        "president": {
            "nom": president.name,
            "nom_complet": president.full,
            **assembly["president"],
            **titles,
            # "Pour la Présidente du Conseil départemental," above the officer who signs by delegation.
            "pour": f"Pour {with_article(titles['titre'], 'f' if president.feminine else 'm')},",
        },
        "imputations": budget_view(data.get("imputations")),
    }


def deliberation_context(convention: Convention) -> dict[str, Any]:
    """Everything the délibération's template writes beyond the data itself."""
    data = convention.model_dump(mode="python")
    assembly = load_assembly(data["assemblee"])
    chair = member(assembly, data.get("presidence") or assembly["president"]["membre"])
    day = convention.signature.date if convention.signature and convention.signature.date else data["reunion"]
    place = (convention.signature.lieu if convention.signature else None) or assembly["lieu"]
    apart = members(assembly, (data.get("interesses") or {}).get("sans_participation") or [])
    vote = vote_view(data["vote"], assembly, apart=apart, chair=chair)
    return {
        **heading(data, assembly),
        "presidence": upper(f"présidence de {chair.full}"),
        "secretaire": member(assembly, data["secretaire"]).short,
        "presence": presence(data, assembly),
        "vus": visas(data, assembly),
        "interesses_phrases": interested(data, assembly),
        "articles_view": articles(data["articles"], reference_values(data, assembly)),
        "vote_view": vote,
        # What the assembly did: "DÉCIDE :" an adopted proposal; a rejected one is not decided.
        "decision_titre": "DÉCIDE :" if vote["adopte"] else "REJETTE LA PROPOSITION SUIVANTE :",
        # "ARRAS, le 18 septembre 2023": the town (never its CEDEX) in capitals, as the seeds write it.
        "fait_a": f"{upper(town_name(without_cedex(place)))}, le {format_date(day)}",
        "officier": assembly["officiers"][data.get("signataire_delegue") or "dgs"],
    }


def body(blocks: list[dict[str, Any]], values: dict[str, str]) -> list[dict[str, Any]]:
    """The rapport's text: paragraphs and bullet lists, "{convention}" filled in."""
    return [
        {
            "texte": fill(block["texte"], values) if block.get("texte") else "",
            "liste": [fill(item, values) for item in block.get("liste") or []],
            "puce": block.get("puce") or "-",
        }
        for block in blocks
    ]


def rapport_context(convention: Convention) -> dict[str, Any]:
    """Everything the rapport's template writes beyond the data itself."""
    data = convention.model_dump(mode="python")
    assembly = load_assembly(data["assemblee"])
    commission = commission_view(data["commission"])
    opinion = "favorable" if data["avis"] == "favorable" else "défavorable"
    services = [data[key] for key in ("pole", "direction", "service") if data.get(key)]
    places = [
        f"{label}\u00a0: {data[key]}"
        for key, label in (("territoires", "Territoire(s)"), ("cantons", "Canton(s)"), ("epci", "EPCI(s)"))
        if data.get(key)
    ]
    return {
        **heading(data, assembly),
        "services": services,
        "lieux": places,
        "corps_view": body(data["corps"], reference_values(data, assembly)),
        "avis_phrase": (
            f"La {commission['Nom']} - {commission['intitule']} a émis un avis {opinion} sur ce rapport "
            f"lors de sa réunion du {commission['date']}."
        ),
    }
