"""Entity extractors: plain functions from a ClickUp client (and the parent ids they need) to raw rows.

They know ClickUp's endpoints and nothing of Dagster or Postgres.
"""
