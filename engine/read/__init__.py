"""Where interviews come from and what they say.

``sources`` opens a file, stdin or a CalDAV calendar (the I/O edge; ``caldav_source``
is the CalDAV part); ``scan`` finds candidate events cheaply in the text,
``reader`` parses them into ``Interview`` values and ``facts`` reads Company,
Recruiter, Timeline... from titles and notes. ``scan``, ``reader`` and ``facts``
are pure: bytes in, values out. May import ``engine.model``, ``engine.errors``
and ``rules``; never ``plan``, ``write``, ``caldav`` or ``feed``.
"""
