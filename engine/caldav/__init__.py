"""Keeping a CalDAV calendar in step with the plan: plan, then act.

Pure: ``fingerprint`` (content hash without noise), ``syncplan`` (``diff(desired,
remote, state) -> actions``). I/O: ``mirror`` (a local copy kept by sync token),
``syncstate`` (what we wrote, kept per target) and ``apply`` (runs the actions).
The requests themselves go through the DAV client, ``engine.dav``.
"""
