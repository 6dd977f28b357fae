"""The web stage: ``conventum serve``, a form for clerks and an HTTP API on one LibreOffice pool."""
