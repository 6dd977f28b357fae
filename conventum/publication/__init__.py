"""What the law requires to publish since 1 July 2022 (ordonnance 2021-1310, décret 2021-1311): the
acte with its author and date of putting online, the séance's liste des délibérations and feuillet
de clôture, and the open-data SCDL « Délibérations » file."""
