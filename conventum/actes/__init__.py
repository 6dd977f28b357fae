"""The hand-off to the contrôle de légalité: ACTES metadata checked against the collectivité's
classification and written for Pastell (glaneur ZIP, ls-actes JSON) and as the ACTES message."""
