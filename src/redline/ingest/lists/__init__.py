"""Readers for designation lists: one small module per list family, each turning rows of
``<data>/lists/`` into FtM entities and Sanctions (see ``data/lists.yaml`` for what each list
is and where it comes from)."""
