"""followup's engine: the pipeline from a calendar to follow-ups, one subpackage per stage.

Data flows one way::

    sources/ (--from -> calendar bytes) -> read/ (bytes -> interviews) -> plan/ (-> plan)
        -> write/ (plan -> .ics, drafts)            -> a file, stdout
        -> feed/  (plan -> a feed kept up to date)  -> HTTP
        -> caldav/ (plan diffed against a calendar -> actions -> apply)

``model``, ``errors``, ``people``, ``folders`` and ``atomic`` sit below every stage;
``pipeline.plan_from`` strings reading and planning together for the commands. The
clock, the timezone and the target are parameters. Nothing here imports click or
prints; the pure stages import no file, network or HTTP module. What each package
may import is the import-linter contracts in pyproject.toml (tests/test_layout.py
runs them).
"""
