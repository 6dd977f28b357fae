"""The package's layout: imports point one way (no cycle between modules or between stages),
the public names are sorted and importable, and every stage package says what it holds."""

from __future__ import annotations

import ast
import graphlib
import subprocess
import sys
from pathlib import Path

import conventum

PACKAGE = Path(conventum.__file__).resolve().parent
SAMPLE = PACKAGE.parent / "samples" / "adhesion-centrale-achats.yaml"
BASE = {
    "errors",
    "issues",
    "limits",
    "settings",
    "messages",
    "output",
    "french",
    "model",
    "ooxml",
    "geo",
}  # below every stage


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the conventum modules it imports, wherever the import stands (lazy ones included)."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:  # conventum has no relative import
                targets = [_submodule_or(node.module, alias.name, modules) for alias in node.names]
            graph[name] |= {target for target in targets if target in modules and target != name}
    return graph


def _submodule_or(module: str, name: str, modules: dict[str, Path]) -> str:
    return f"{module}.{name}" if f"{module}.{name}" in modules else module


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph, as the names along it; [] when there is none."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return []


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_cycle_between_modules() -> None:
    assert cycles(import_graph()) == []


def test_no_import_cycle_between_stages() -> None:
    graph = import_graph()
    stages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        stage = stage_of(module)
        stages.setdefault(stage, set()).update(stage_of(t) for t in targets if stage_of(t) != stage)
    assert cycles(stages) == []


def test_the_base_imports_no_stage() -> None:
    graph = import_graph()
    upward = {
        (module, target)
        for module, targets in graph.items()
        if stage_of(module) in BASE
        for target in targets
        if stage_of(target) not in BASE
    }
    assert upward == set()


def test_only_the_cli_imports_the_cli() -> None:
    graph = import_graph()
    assert {m for m, targets in graph.items() if any(stage_of(t) == "cli" for t in targets)} <= {
        m for m in graph if stage_of(m) == "cli"
    }


def test_every_package_says_what_it_holds() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert docstring, f"{init} has no docstring"


def test_public_names_sorted_and_importable() -> None:
    assert conventum.__all__ == sorted(conventum.__all__)
    assert len(set(conventum.__all__)) == len(conventum.__all__)
    for name in conventum.__all__:
        assert getattr(conventum, name) is not None, name


def test_no_public_name_is_a_subpackage() -> None:
    """Packages are nouns, functions verbs: a public function named like a subpackage would hide it
    (``import conventum.render.x`` would fail once ``conventum.render`` is the function)."""
    subpackages = {path.stem if path.suffix else path.name for path in PACKAGE.iterdir() if _is_module(path)}
    assert sorted(set(conventum.__all__) & subpackages) == []


def _is_module(path: Path) -> bool:
    return (path.is_dir() and (path / "__init__.py").is_file()) or path.suffix == ".py"


# The schema language's own words: only the catalogue reads them (model/specs.py, model/typespecs.py).
SCHEMA_KEYS = frozenset(
    {
        "affichage",
        "aide",
        "calculs",
        "champs",
        "choix",
        "contribution_budgetee",
        "debut_champ",
        "defaut",
        "defaut_selon",
        "defauts",
        "ecriture",
        "element",
        "emetteur",
        "libre",
        "modele",
        "parametres",
        "reconduction_champ",
        "regles",
        "requis",
        "textes",
    }
)
SCHEMA_READERS = {
    "conventum.model.catalogue",
    "conventum.model.specs",
    "conventum.model.typespecs",
    "conventum.word.editing",  # an imported type's declarations, rewritten as its author edits them
}


def raw_schema_reads(tree: ast.AST) -> list[str]:
    """``x.raw``, ``x["requis"]``, ``x.get("champs")``: a schema read as YAML instead of as specs."""
    found = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Attribute) and node.attr == "raw":
            found.append(f"line {node.lineno}: .raw")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            key = node.slice
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            key = node.args[0] if node.args else None
        if isinstance(key, ast.Constant) and key.value in SCHEMA_KEYS:
            found.append(f"line {node.lineno}: {key.value!r}")
    return found


def test_only_the_catalogue_reads_a_schema() -> None:
    """A type is read once, into specs: no other module reads its YAML's keys."""
    readers = {}
    for path in PACKAGE.rglob("*.py"):
        if module_name(path) not in SCHEMA_READERS:
            found = raw_schema_reads(ast.parse(path.read_text("utf-8")))
            if found:
                readers[module_name(path)] = found
    assert readers == {}


# Configuration is read from the environment at the edges only: the command and the server
# (``Settings.from_environment(os.environ)``), then passed down as a value (``conventum.settings``).
# The one library module left passes the environment on, reading no setting from it.
ENVIRONMENT_READERS_LEFT = {
    "conventum.pdf.lobridge.worker",  # soffice's environment: this process's, with its own TMPDIR
}


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines reading ``os.environ`` or calling ``os.getenv``."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("environ", "getenv")
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]


def test_the_environment_is_read_at_the_edges() -> None:
    readers = {
        module_name(path)
        for path in PACKAGE.rglob("*.py")
        if environment_reads(ast.parse(path.read_text("utf-8")))
    }
    edges = {module for module in readers if stage_of(module) in ("cli", "serve")}
    assert readers - edges == ENVIRONMENT_READERS_LEFT


HEAVY = (
    "openpyxl",
    "pypdf",
    "pikepdf",
    "rich.progress",
    "conventum.pdf.lobridge",
    "conventum.pdf.converter",
    "uno",
    "sqlalchemy",
    "icalendar",
    "pyhanko",
)


def test_a_docx_render_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    """A new process that renders one DOCX, through the library and through the CLI, imports neither
    the spreadsheet, PDF nor LibreOffice code."""
    script = f"""
import sys
import conventum
conventum.render("adhesion-centrale-achats", {str(SAMPLE)!r}, {str(tmp_path / "a.docx")!r})
sys.argv = ["conventum", "render", "adhesion-centrale-achats", {str(SAMPLE)!r}, "-o", {str(tmp_path / "b.docx")!r}]
from conventum.cli import run
try:
    run()
except SystemExit as exc:
    assert not exc.code, exc.code
print("\\n".join(sorted(sys.modules)))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = result.stdout.split()
    assert (tmp_path / "a.docx").is_file() and (tmp_path / "b.docx").is_file()
    assert [name for name in loaded if name.startswith(HEAVY)] == []


def test_the_heavier_public_names_load_on_first_use() -> None:
    script = "import conventum, sys; conventum.Batch; conventum.Converter; print('pikepdf' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
