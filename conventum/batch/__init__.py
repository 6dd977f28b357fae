"""Batches: spreadsheets and their columns, one convention per row, output names, the report. Internal."""
