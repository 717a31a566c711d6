"""Faults injected on demand: which request fails and how (reproducibly, from a seed), and what each
fault looks like on the wire."""
