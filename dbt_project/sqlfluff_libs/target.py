"""dbt's `target` for sqlfluff's jinja templater (see .sqlfluff): the profile's database and schema."""

database = "clickup"
schema = "clickup"
