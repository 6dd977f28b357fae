"""The choices a party's drop-downs offer: each once (the key as value, one label), only those that
fit the party's nature, the qualités agreed with the civilité. Legacy spellings stay readable in data
files (the schema accepts them) and are never offered.

Every option carries what the page needs to filter it again when the nature or the civilité changes
(``data-natures``, ``data-m``, ``data-f``); options that do not fit are rendered ``hidden disabled``."""

from __future__ import annotations

from dataclasses import dataclass, field

from conventum.french.grammar import vocabulary

# The bodies that take a decision, by the party's nature (the organ's own vocabulary says nothing of
# natures): a commune decides by its conseil municipal, a département by its conseil or its commission
# permanente, an EPCI by its conseil communautaire, its bureau or its président…
EPCI_ORGANS = ("conseil-communautaire", "bureau", "president")
BOARD_ORGANS = ("conseil-d-administration", "bureau", "president")
SYNDICATE_ORGANS = ("comite-syndical", "bureau", "president")
ORGANS_BY_NATURE: dict[str, tuple[str, ...]] = {
    "commune": ("conseil-municipal",),
    "departement": ("conseil-departemental", "commission-permanente"),
    "region": ("conseil-regional", "commission-permanente"),
    "communaute-de-communes": EPCI_ORGANS,
    "communaute-d-agglomeration": EPCI_ORGANS,
    "communaute-urbaine": EPCI_ORGANS,
    "epci": EPCI_ORGANS,
    "metropole": ("conseil-metropolitain", "bureau", "president"),
    "syndicat-mixte": SYNDICATE_ORGANS,
    "syndicat-mixte-ouvert": SYNDICATE_ORGANS,
    "syndicat-intercommunal": SYNDICATE_ORGANS,
    "cdg": BOARD_ORGANS,
    "ccas": BOARD_ORGANS,
    "cias": BOARD_ORGANS,
    "etablissement-public": BOARD_ORGANS,
    "agence": BOARD_ORGANS,
    "association": BOARD_ORGANS,
}
ORGAN_LABELS = {
    "conseil-municipal": "Conseil municipal",
    "conseil-communautaire": "Conseil communautaire",
    "conseil-metropolitain": "Conseil métropolitain",
    "conseil-departemental": "Conseil départemental",
    "conseil-regional": "Conseil régional",
    "commission-permanente": "Commission permanente",
    "comite-syndical": "Comité syndical",
    "conseil-d-administration": "Conseil d’administration",
    "bureau": "Bureau",
    "president": "Président ou présidente (par délégation)",
}


@dataclass
class Option:
    """One choice of a drop-down."""

    value: str
    label: str
    natures: tuple[str, ...] = ()  # the natures it fits (empty: every one)
    masculine: str | None = None
    feminine: str | None = None
    hidden: bool = False
    data: dict[str, str] = field(default_factory=dict)

    def fits(self, nature: str | None) -> bool:
        return not nature or not self.natures or nature in self.natures


def nature_label(nature: str) -> str:
    info = vocabulary()["natures"].get(nature)
    return str(info["libelle"]) if info else nature


def nature_options(natures: list[str]) -> list[Option]:
    return [Option(nature, nature_label(nature)) for nature in natures]


def quality_options(nature: str | None, civilite: str | None) -> list[Option]:
    """The qualités, labelled as the civilité agrees them, those of another nature hidden."""
    options = []
    for key, info in vocabulary()["qualites"].items():
        masculine, feminine = str(info["masculin"]), str(info["feminin"])
        if civilite == "Madame":
            label = feminine
        elif civilite == "Monsieur" or masculine == feminine:
            label = masculine
        else:
            label = f"{masculine} / {feminine}"
        option = Option(key, label, tuple(info.get("natures", ())), masculine, feminine)
        option.hidden = not option.fits(nature)
        options.append(option)
    return options


def organ_options(nature: str | None, known: list[str]) -> list[Option]:
    """The deciding bodies the schema knows, those another nature has hidden."""
    natures_of: dict[str, list[str]] = {}
    for kind, organs in ORGANS_BY_NATURE.items():
        for organ in organs:
            natures_of.setdefault(organ, []).append(kind)
    options = []
    for key in known:
        option = Option(key, ORGAN_LABELS.get(key, key), tuple(natures_of.get(key, ())))
        option.hidden = not option.fits(nature)
        options.append(option)
    return options


def plain_options(choices: list[tuple[str, str]]) -> list[Option]:
    return [Option(value, label) for value, label in choices]
