"""The lxml adapter for Office Open XML: one namespace table, strict parsing, packages. Internal."""
