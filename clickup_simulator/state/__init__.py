"""What a simulator holds at run time: the shared state (lock, version, lookups), its clock, the activity
stores (comments, time entries, time in status) and the ground truth read from them."""
