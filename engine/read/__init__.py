"""What interviews a calendar holds and what they say: pure, bytes in, values out.

``scan`` finds candidate events cheaply in the text, ``reader`` parses them into a
``Reading`` (the ``Interview`` values, the events asked about or set aside, and what was
skipped or read with a guess), ``facts`` reads Company, Recruiter, Timeline... from titles
and notes, ``timewords`` and ``language`` the words they are written in. Where the
bytes come from is ``engine.sources``. May import ``engine.model``, ``engine.errors``,
``engine.people`` and ``rules``; never a source, ``pipeline``, ``plan``, ``write``,
``caldav``, ``feed`` or ``mail`` (the contracts in pyproject.toml check it).
"""
