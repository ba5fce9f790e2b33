"""The data dictionary, read from ``data/datapackage.json``: the one place that says what a column means.

Every field of every resource carries a Chinese ``title`` and ``description`` and, where it has one, a
``unit`` (a custom field property, which Frictionless keeps and ignores). The appendix's data dictionary
(``book/_ext/data_dictionary.py``) and the column notes under a download are rendered from here, so a
change of meaning is made once, in the descriptor. Pure Python (json only): the Sphinx extension imports it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pairing_assistance.build.tables import data_dir

_CJK = re.compile(r"[\u4e00-\u9fff]")
TYPE_ZH = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "布尔值（true / false）",
           "date": "日期", "year": "年份", "datetime": "日期时间"}
REQUIRED_TEXT = ("title", "description")  # a unit is required only where the quantity has one


class MetadataError(ValueError):
    """A field of the data package without its Chinese title or description; names resource and field."""


@dataclass(frozen=True)
class Entry:
    """One row of the data dictionary."""

    column: str
    title: str
    description: str
    unit: str
    kind: str
    values: str


def descriptor(folder: Path | None = None) -> dict:
    path = (folder or data_dir()) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))


def resource(name: str, package: dict | None = None) -> dict:
    package = package or descriptor()
    for item in package["resources"]:
        if item["name"] == name:
            return item
    raise KeyError(f"no resource '{name}' in data/datapackage.json")


def missing(package: dict | None = None) -> list[str]:
    """'<resource>.<field>: no Chinese <title|description>' for every field that lacks one."""
    package = package or descriptor()
    problems = []
    for item in package["resources"]:
        for field in item.get("schema", {}).get("fields", []):
            for key in REQUIRED_TEXT:
                if not _CJK.search(str(field.get(key) or "")):
                    problems.append(f"{item['name']}.{field['name']}: no Chinese {key}")
            if "unit" in field and not str(field["unit"]).strip():
                problems.append(f"{item['name']}.{field['name']}: empty unit")
    return problems


def check(package: dict | None = None) -> None:
    problems = missing(package)
    if problems:
        raise MetadataError("data/datapackage.json: " + "; ".join(problems))


def _values(field: dict, keys: dict) -> str:
    """The constraints in words: key, reference, required, range, length, enumeration."""
    c = field.get("constraints", {})
    parts = []
    if field["name"] in keys["primary"]:
        parts.append("主键" if len(keys["primary"]) == 1 else "主键之一")
    if field["name"] in keys["foreign"]:
        parts.append(f"指向 {keys['foreign'][field['name']]}")
    parts.append("必填" if c.get("required") else "可空")
    if "minimum" in c or "maximum" in c:
        parts.append(f"{c.get('minimum', '')}—{c.get('maximum', '')}")
    if "maxLength" in c:
        parts.append(f"最多 {c['maxLength']} 个字符")
    if "enum" in c:
        parts.append("取值 " + "、".join(str(v) for v in c["enum"]))
    # a pattern stays in the descriptor: the description says the format in words
    return "；".join(parts)


def _keys(item: dict, package: dict) -> dict:
    schema = item.get("schema", {})
    primary = schema.get("primaryKey", [])
    primary = [primary] if isinstance(primary, str) else list(primary)
    paths = {r["name"]: r.get("path", r["name"]) for r in package["resources"]}
    foreign = {}
    for key in schema.get("foreignKeys", []):
        fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
        target = key["reference"].get("resource") or item["name"]
        ref_fields = key["reference"]["fields"]
        ref_fields = ref_fields if isinstance(ref_fields, list) else [ref_fields]
        for own, other in zip(fields, ref_fields):
            foreign[own] = f"{paths.get(target, target)} 的 {other}"
    return {"primary": primary, "foreign": foreign}


def dictionary(name: str, package: dict | None = None) -> list[Entry]:
    """The dictionary of one resource, one entry per column in file order; stops on missing metadata."""
    package = package or descriptor()
    item = resource(name, package)
    check({"resources": [item]})
    keys = _keys(item, package)
    return [Entry(f["name"], f["title"], f["description"], f.get("unit", ""), TYPE_ZH.get(f["type"], f["type"]),
                  _values(f, keys)) for f in item.get("schema", {}).get("fields", [])]


def column_note(name: str, column: str, package: dict | None = None) -> str:
    """One line for a download: '<title>（<column>）：<description>单位：<unit>。'"""
    for entry in dictionary(name, package):
        if entry.column == column:
            unit = f"单位：{entry.unit}。" if entry.unit else ""
            return f"{entry.title}（{entry.column}）：{entry.description}{unit}"
    raise KeyError(f"no column '{column}' in resource '{name}' of data/datapackage.json")


def column_notes(columns: dict[str, tuple[str, str]], package: dict | None = None) -> list[str]:
    """Notes for the columns of a download: ``{header: (resource, column)}`` -> '<header>：<description>单位：…'.

    The header is what the reader sees (a Chinese label); the description and unit come from the descriptor.
    """
    package = package or descriptor()
    lines = []
    for header, (name, column) in columns.items():
        entry = next((e for e in dictionary(name, package) if e.column == column), None)
        if entry is None:
            raise KeyError(f"download column {header!r}: no column '{column}' in resource '{name}'")
        unit = f"单位：{entry.unit}。" if entry.unit else ""
        lines.append(f"{header}：{entry.description}{unit}")
    return lines
