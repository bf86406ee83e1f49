"""Inclusion and representativeness reports: who takes part, against the census."""
