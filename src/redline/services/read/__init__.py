"""The read model: every number and list Redline shows, one query each, shared by every reader.

Reach for this package whenever the API, the dashboard (through the API) or the briefing needs
something from the store: the briefing's text and its charts, ``GET /findings``, ``GET
/overview`` and the dashboard all call the same query, so a number printed in a paragraph and
the bar drawn for it cannot disagree. Front ends hold no SQL of their own.

- :mod:`.findings` — pages of findings, one finding whole, counts by sector and severity,
  trends, alerts;
- :mod:`.entities` — entity search and detail, captions, datasets, what a match result shows;
- :mod:`.coverage` — what the store holds and could see;
- :mod:`.briefing` — all of the above and the data directory's context series, read once into
  a :class:`~redline.model.briefing.Briefing` for :mod:`redline.report` to render.

Every function takes an open DuckDB connection or cursor (``store.conn`` or a cursor on it)
and reads with parameterised SQL; filters never become SQL text.
"""
