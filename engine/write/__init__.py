"""Turning a plan into what people import and send.

``render`` builds the .ics bytes, ``draft`` the emails (text, mailto:, .eml),
``feedcheck`` checks a feed the way strict calendar apps read it: all pure.
Files are written by ``engine.atomic`` (below every stage, so marks and answers
may use it too).
"""
