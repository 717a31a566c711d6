"""Records as ClickUp serialises them: tasks (a page at a time, from pre-serialised parts), the hierarchy
and goals, and the JSON writer that keeps dirty strings as ClickUp sends them."""
