"""followup's engine: the pipeline from a calendar to follow-ups, one subpackage per stage.

Data flows one way::

    read/ (sources -> interviews) -> plan/ (interviews -> plan)
        -> write/ (plan -> .ics, drafts)            -> a file, stdout
        -> feed/  (plan -> a feed kept up to date)  -> HTTP
        -> caldav/ (plan diffed against a calendar -> actions -> apply)

``model``, ``errors``, ``config`` and ``marks`` are reachable from every stage;
``pipeline`` strings reading and planning together for the commands. The clock,
the timezone and the target are parameters. Nothing here imports click or
prints; the pure stages import no file, network or HTTP module (tests/test_layout.py
checks both).
"""
