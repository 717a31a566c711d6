"""ClickUp's official response schemas (openapi-v2.json, a byte-for-byte copy beside this file), relaxed
where they are wrong about live responses (the list and its reasons: spec_relaxations.py).

Every 200 answer of the simulator and every documented example is validated against the schema of its
operation after these relaxations, never around them. Each relaxation says why; most are the live
behaviour recorded in docs/clickup-api.md §2.6 (nulls the spec does not allow, integer task counts,
sparse space features), the rest are schemas generated from a single example (arrays of "string" where
the example array was empty, a required key per example task id) or `oneOf`s whose alternatives
overlap.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote

from jsonschema import Draft202012Validator

from spec_relaxations import RELAXATIONS

SPEC_PATH = Path(__file__).with_name("openapi-v2.json")
EXAMPLES_DIR = Path(__file__).with_name("examples")


def normalize(template: str) -> str:
    """ "GET /team/{team_id}/task" → "GET /team/{}/task" (the spec names parameters differently)."""
    return re.sub(r"\{[^}]+\}", "{}", template)


@cache
def _spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def _pointer(document, ref: str):
    for part in ref.lstrip("#/").split("/"):
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        document = document[int(key)] if isinstance(document, list) else document[key]
    return document


def _resolve(node, depth: int = 0):
    """Inline the spec's `#/paths/...` references (its schemas point into each other)."""
    if isinstance(node, dict):
        if "$ref" in node and depth < 30:
            return _resolve(_pointer(_spec(), node["$ref"]), depth + 1)
        return {k: _resolve(v, depth) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, depth) for v in node]
    return node


@cache
def _raw_schemas() -> dict[str, dict]:
    out = {}
    for path, operations in _spec()["paths"].items():
        get = operations.get("get") or {}
        content = get.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if "schema" in content:
            out["GET " + normalize(path[len("/v2") :])] = content["schema"]
    return out


def has_schema(operation: str) -> bool:
    return normalize(operation) in _raw_schemas()


def _walk(holder: dict, where: str) -> list[tuple[dict, str]]:
    """(parent schema, key) pairs addressed by a dotted path; "*" steps into array items, "" is the root
    (`holder[""]`)."""
    if where == "":
        return [(holder, "")]
    schema = holder[""]
    parts = where.split(".")
    nodes = [schema]
    for part in parts[:-1]:
        nodes = [n["items"] if part == "*" else n.get("properties", {}).get(part) for n in nodes]
        nodes = [n for n in nodes if n is not None]
    last = parts[-1]
    if last == "*":
        return [(n, "items") for n in nodes]
    return [(n["properties"], last) for n in nodes if last in n.get("properties", {})]


def _nullable(node: dict) -> dict:
    kind = node.get("type")
    if isinstance(kind, str):
        return {**node, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**node, "type": sorted(set(kind) | {"null"})}
    return {"anyOf": [node, {"type": "null"}]}


def _everywhere(node, fn):
    if isinstance(node, dict):
        node = fn(node)
        return {k: _everywhere(v, fn) for k, v in node.items()}
    if isinstance(node, list):
        return [_everywhere(v, fn) for v in node]
    return node


def _user_keys(node: dict) -> dict:
    props = node.get("properties")
    if isinstance(props, dict) and "profilePicture" in props:
        props = dict(props)
        for key in ("profilePicture", "color", "username"):
            if key in props and isinstance(props[key], dict):
                props[key] = _nullable(props[key])
        node = {**node, "properties": props}
    return node


def _one_of_as_any_of(node: dict) -> dict:
    if "oneOf" not in node:
        return node
    return {**{k: v for k, v in node.items() if k != "oneOf"}, "anyOf": node["oneOf"]}


def relaxed_schema(operation: str) -> dict:
    operation = normalize(operation)
    schema = copy.deepcopy(_resolve(_raw_schemas()[operation]))
    for r in RELAXATIONS:
        if r.operation not in ("*", operation):
            continue
        if r.change == "nullable-user-keys":
            schema = _everywhere(schema, _user_keys)
            continue
        if r.change == "any_of":
            schema = _everywhere(schema, _one_of_as_any_of)
            continue
        holder = {"": schema}
        for parent, key in _walk(holder, r.where):
            node = parent[key]
            if r.change == "nullable":
                parent[key] = _nullable(node)
            elif r.change.startswith("allow:"):
                kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
                parent[key] = {**node, "type": sorted(set(kinds) | {r.change.split(":")[1]})}
            elif r.change.startswith("optional:"):
                parent[key] = {
                    **node,
                    "required": [k for k in node.get("required", []) if k != r.change.split(":")[1]],
                }
            elif r.change == "no_required":
                parent[key] = {k: v for k, v in node.items() if k != "required"}
            elif r.change == "object_or_list":
                parent[key] = {"anyOf": [node, {"type": "array", "items": node, "maxItems": 1}]}
            elif r.change == "replace":
                parent[key] = _placeholders(copy.deepcopy(r.schema), node)
        schema = holder[""]
    return schema


def _placeholders(replacement: dict, previous: dict) -> dict:
    """`$same-as-before`: the schema being replaced (the spec's folder object, as array items);
    `$time-in-status`: the single-task time-in-status schema."""
    for key in ("items", "additionalProperties"):
        marker = replacement.get(key)
        if isinstance(marker, dict) and marker.get("$same-as-before"):
            replacement[key] = previous
        elif isinstance(marker, dict) and marker.get("$time-in-status"):
            replacement[key] = relaxed_schema("GET /task/{}/time_in_status")
    return replacement


@cache
def validator(operation: str) -> Draft202012Validator:
    return Draft202012Validator(relaxed_schema(operation))


def errors(operation: str, payload) -> list[str]:
    """Every way `payload` fails the relaxed schema of `operation` (empty when it conforms)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:200]}"
        for e in validator(normalize(operation)).iter_errors(payload)
    ]
