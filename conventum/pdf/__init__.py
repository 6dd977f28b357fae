"""Stages 6–7, export and finishing: LibreOffice pool, read-back, annexes, metadata, signatures. Internal."""
