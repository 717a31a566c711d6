"""The generated world: the records and task columns a simulator starts from, generated from its seed,
and the deterministic derivations (hashes, ids, words, custom field values) that let rendered content be
recomputed on demand instead of stored."""
