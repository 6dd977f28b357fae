"""pytest: the UNO helper runs under the system python only; its doctests are not collected."""

collect_ignore = ["helper.py"]
