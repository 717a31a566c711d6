"""Changes over time, the `Simulator`'s Python API for them (tasks, hierarchy, activity, hiding), and
triggers that run one when the traffic reaches a given answer."""
