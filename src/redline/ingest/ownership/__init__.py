"""Ownership and control research (a researcher's table, BODS) as FtM entities and links."""
