"""The LibreOffice bridge: worker processes (a UNO helper and its soffice) kept alive between documents."""
