"""The `/_sim/` control API: everything a test or demo drives over HTTP (clock, faults, rate limits,
statistics, truth, changes, triggers)."""
