"""followup's engine: a pure core (interviews, timing, planning, rendering) with thin I/O edges."""
