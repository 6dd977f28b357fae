"""Délibérations and rapports: assemblies, members, votes, budget lines and their phrases. Internal."""
