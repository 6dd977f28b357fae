"""When docxtpl's ``fix_tables`` has work to do: table grids that filling may put out of step.

docxtpl re-parses every part after rendering to widen or narrow each table's grid to the
cells its rows ended with. Only tags between cells (a column loop or condition), or tags
between rows of a table whose rows do not all span its grid, can change that; rows repeated
or dropped whole keep their cells. So the template says once whether a part needs the fix.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from conventum.ooxml.namespaces import W, w
from conventum.ooxml.xml import XMLSyntaxError, parse_xml

TABLE, GRID, GRID_COLUMN, ROW, CELL = (w(t) for t in ("tbl", "tblGrid", "gridCol", "tr", "tc"))
SPANS = etree.XPath("w:tc/w:tcPr/w:gridSpan/@w:val", namespaces={"w": W})


def tables_need_fixing(root: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table: a row with more cells than the
    grid has columns, or no row spanning them all (its very test, on a parsed part)."""
    for table in root.iter(TABLE):
        columns = _columns(table)
        spans_all = False
        for row in table.iter(ROW):
            cells = sum(1 for _ in row.iterchildren(CELL))
            if cells > columns:
                return True
            spans_all = spans_all or cells == columns or (cells < columns and _width(row) >= columns)
        if not spans_all:
            return True
    return False


def filling_may_reshape(part: bytes) -> bool:
    """Whether filling this template part (docxtpl-patched XML, tags as text) may leave a table
    for ``fix_tables``: its grid already out of step, a tag between cells, or a tag between
    rows of a table some of whose rows do not span the whole grid."""
    try:
        root = parse_xml(part)
    except XMLSyntaxError:
        return True  # not XML until filled (tags between elements): fix_tables decides after filling
    if tables_need_fixing(root):
        return True
    for table in root.iter(TABLE):
        columns = _columns(table)
        rows = list(table.iterchildren(ROW))
        if _tag_between(table) and any(_width(row) != columns for row in rows):
            return True
        if any(_tag_between(row) for row in rows):
            return True
    return False


def _columns(table: Any) -> int:
    grid = next(table.iterchildren(GRID), None)
    return sum(1 for _ in grid.iterchildren(GRID_COLUMN)) if grid is not None else 0


def _width(row: Any) -> int:
    """The grid columns a row's cells cover (a cell spans one, or its gridSpan)."""
    spans: list[str] = SPANS(row)  # type: ignore[assignment]
    cells = sum(1 for _ in row.iterchildren(CELL))
    return cells - len(spans) + sum(int(span) for span in spans)


def _tag_between(element: Any) -> bool:
    """A Jinja block tag among the element's children (text before or between them)."""
    return any("{%" in (text or "") for text in (element.text, *(child.tail for child in element)))
