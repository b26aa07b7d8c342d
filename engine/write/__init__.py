"""Turning a plan into what people import and send.

``render`` builds the .ics bytes, ``draft`` the emails (text, mailto:, .eml),
``feedcheck`` checks a feed the way strict calendar apps read it: all pure.
``atomic`` is the one place files are written (atomically, never replacing
what is not ours).
"""
