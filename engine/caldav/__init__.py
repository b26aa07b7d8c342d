"""Keeping a CalDAV calendar in step with the plan: plan, then act.

Pure: ``fingerprint`` (content hash without noise), ``syncplan`` (``diff(desired,
remote, state) -> actions``). I/O: ``mirror`` (a local copy kept by sync token) and
``copies`` (those copies on disk), ``state`` (what we wrote, kept per target; the lock),
``hints`` (notes about servers), ``kept`` (the file format they share), ``calendars``
(``--from``/``--to`` resolved), ``quiet`` (a sync with nothing to do) and ``apply``
(runs the actions).
The requests themselves go through the DAV client, ``engine.dav``.
"""
