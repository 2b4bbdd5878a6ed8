"""Maillage: linked open data on the digital-economy networks of Occitanie."""
