"""The DAV client: one HTTP session to one CalDAV server and the requests followup needs.

``protocol`` (pure: request bodies, multistatus parsing), ``bounded`` (answers
capped in size and time), ``transport`` (the one place requests go out),
``discovery`` (finding a calendar), ``reads`` (time ranges, sync-collection,
multiget), ``writes`` (conditional PUT and DELETE) and ``session`` (them
together). Used by ``engine.sources.dav`` to read a calendar and by
``engine.caldav`` to keep one in step; it knows nothing of interviews or plans.
"""
