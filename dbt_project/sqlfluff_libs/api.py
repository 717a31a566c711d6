"""dbt's `api` for sqlfluff's jinja templater (see .sqlfluff): macros build relations with
`api.Relation.create`, which the templater does not provide."""


class Relation:
    @staticmethod
    def create(database: str | None = None, schema: str | None = None, identifier: str | None = None) -> str:
        return ".".join(part for part in (schema, identifier) if part)
