"""When each follow-up happens, and why: pure functions of (rules, interviews, now).

``timing`` computes offsets, times of day and working days; ``timeline`` turns a
recruiter's timeline and status into dates; ``planner.make_plan`` builds the plan
with a reason for every interview x rule; ``explain`` and ``lookup`` serve the
everyday commands. No I/O: may import ``engine.model``, ``engine.errors`` and
``rules`` only.
"""
