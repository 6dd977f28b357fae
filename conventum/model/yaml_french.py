"""PyYAML's syntax errors in French: what a clerk editing a data file by hand reads."""

from __future__ import annotations

import re

TOKENS = {
    "<stream end>": "la fin du fichier",
    "<block end>": "la fin d’un bloc",
    "<block mapping start>": "une nouvelle clé",
    "<block sequence start>": "une liste",
    "<scalar>": "une valeur",
    "<document start>": "« --- »",
    ",": "« , »",
    "]": "« ] »",
    "}": "« } »",
    ":": "« : »",
    "-": "« - »",
}

# (pattern of PyYAML's problem, French sentence; {0}… are the pattern's groups, tokens translated)
PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), french)
    for pattern, french in (
        (
            r"found unexpected end of stream",
            "le fichier s’arrête au milieu d’une valeur (guillemet non fermé ?)",
        ),
        (
            r"mapping values are not allowed here",
            "« : » inattendu : une valeur contenant « : » doit être entre guillemets,"
            " ou l’indentation est fausse",
        ),
        (r"could not find expected ':'", "« : » attendu après une clé"),
        (
            r"found character '\\t' that cannot start any token",
            "tabulation interdite : indentez avec des espaces",
        ),
        (
            r"found character (.*) that cannot start any token",
            "le caractère {0} ne peut pas commencer une valeur",
        ),
        (r"did not find expected key", "clé attendue : l’indentation est incohérente"),
        (r"did not find expected '-' indicator", "« - » attendu : un élément de liste est mal indenté"),
        (r"did not find expected node content", "valeur attendue"),
        (r"expected (.*), but found (.*)", "{0} attendu, trouvé {1} : l’indentation est incohérente"),
        (r"expected (.*), but got (.*)", "{0} attendu, trouvé {1}"),
        (r"found undefined alias (.*)", "alias {0} non défini"),
        (r"found unknown escape character (.*)", "caractère d’échappement {0} inconnu"),
        (r"found duplicate anchor (.*)", "ancre {0} définie deux fois"),
        (r"found unhashable key", "une clé ne peut pas être une liste ni un ensemble de champs"),
        (r"found a tab character (.*)", "tabulation interdite : indentez avec des espaces"),
        (r"while scanning a quoted scalar", "guillemet non fermé"),
    )
)


def _token(text: str) -> str:
    bare = text.strip().strip("'")
    if bare in TOKENS:
        return TOKENS[bare]
    return " ou ".join(
        TOKENS.get(part.strip().strip("'"), f"« {part.strip().strip(chr(39))} »")
        for part in re.split(r"\s+or\s+", text)
    )


def french_problem(problem: str | None, context: str | None = None) -> str:
    """The French sentence of a PyYAML problem ("mapping values are not allowed here")."""
    for text in (problem or "", context or ""):
        for pattern, french in PROBLEMS:
            found = pattern.search(text)
            if found:
                return french.format(*(_token(group) for group in found.groups()))
    return "syntaxe YAML invalide"
