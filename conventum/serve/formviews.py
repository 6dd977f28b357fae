"""What every form page does with its fields: the context of the page (problems beside their fields,
the summary at the top, the rules below, the focus in a block just added), the answer to a field
left (htmx), the data of a submitted form with its annex files saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.datastructures import FormData, UploadFile

from conventum.issues import Issue, errors
from conventum.serve.formdata import form_data, prune
from conventum.serve.formfields import FormField, field_names, find_field, inputs_of, title_of
from conventum.serve.inputs import safe_name
from conventum.serve.pages import templates


def fields_context(
    fields: list[FormField], issues: list[Issue] | None, *, summary: bool = False, focus: str | None = None
) -> dict[str, Any]:
    """The page's context: its fields, the errors summed up at the top (when asked), the rules."""
    placed = [
        (issue, _anchor(fields, issue), title_of(fields, issue.path))
        for issue in issues or []
        if issue.severity == "error"
    ]
    added = find_field(fields, focus) if focus else None
    if added is not None:
        added.focus = True
    return {
        "fields": fields,
        "summary": placed if summary else [],
        "title": lambda path: title_of(fields, path),
        **rules_context(issues, field_names(fields)),
    }


def _anchor(fields: list[FormField], issue: Issue) -> str:
    found = find_field(fields, issue.path)
    return found.id if found is not None else "regles"


def rules_context(issues: list[Issue] | None, names: set[str]) -> dict[str, Any]:
    """The whole-document checks: every rule's problem, and field problems no field shows."""
    if issues is None:
        return {"checked": False, "rules": [], "errors": 0}
    rules = [issue for issue in issues if issue.path not in names]  # the others are at their fields
    return {"checked": True, "rules": rules, "errors": len(errors(issues))}


def check_text(fields: list[FormField], name: str, issues: list[Issue]) -> str:
    """htmx, as the clerk leaves field ``name``: its messages, those of every filled field a rule
    blames and the rules' panel (out of band)."""
    target = find_field(fields, name)
    # the fields filled, and those a rule blames (an empty one left as it was keeps its message)
    filled = [
        f
        for f in inputs_of(fields)
        if f.value not in (None, "", False) or any(issue.code != "field.missing" for issue in f.errors)
    ]
    others = [f for f in filled if f is not target]
    context = rules_context(issues, field_names(fields))
    page = templates.get_template("check.html")
    return page.render(target=target, others=others, title=lambda path: title_of(fields, path), **context)


async def submitted(form: FormData, folder: Path) -> dict[str, Any]:
    """The form's data, its annex files saved (under their checked names) in the request's folder."""
    files: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile) and value.filename:
            name = safe_name(value.filename)
            (folder / name).write_bytes(await value.read())
            files[key] = name
    data: dict[str, Any] = prune(form_data(form, files))
    return data
