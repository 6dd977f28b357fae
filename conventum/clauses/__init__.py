"""The legal clauses every document writes the same way: one module per family of clauses.

- :mod:`conventum.clauses.acts`: the authorising act ("par délibération n°2026-015 du conseil
  municipal du 12 février 2026") and the act of a delegation;
- :mod:`conventum.clauses.comparution`: a party's paragraph (designation, seat, representative,
  delegation, authorisation) and its "Ci-après désigné(e) « … »";
- :mod:`conventum.clauses.signatures`: a party's signature block ("Pour le Maire et par délégation,");
- :mod:`conventum.clauses.closing`: the closing section ("Fait à Arras, le …, en deux (2) exemplaires.").

Templates never write these by hand: the context exposes each as a finished phrase
(``{{ adherent.comparution }}``, ``{{ adherent.bloc.titre }}``, ``{{ cloture }}``), so that a
template imported from Word gets them by the same names, and ``conventum check`` knows them.
"""

from __future__ import annotations

# The names a template takes the clauses by (conventum check knows them as derived, not as data).
PARTY_CLAUSES = ("comparution", "comparution_ligne", "ci_apres", "bloc", "ordinal")
DOCUMENT_CLAUSES = ("cloture", "fait_a")
