"""Turning a plan into what people import and send.

``outputs`` names every way to write a plan down (ics, json, table, timeline, csv) as
one family, plan -> bytes; ``render`` builds the .ics bytes, ``text`` the table, the
timeline and the JSON, ``draft`` the emails (text, mailto:, .eml), ``feedcheck`` checks a
feed the way strict calendar apps read it: all pure.
Files are written by ``engine.atomic`` (below every stage, so marks and answers
may use it too).
"""
