"""Whole-pipeline tests share the simulator fixtures of tests/conftest.py (`sim_env`)."""
