"""Load the book's tables through one validating loader.

Every table in ``data/`` is described in ``data/datapackage.json`` (Frictionless).
``load_table`` validates the whole package (schema, primary and foreign keys,
enums) plus the cross-field rules Frictionless cannot express, and raises
``DataValidationError`` naming file, line and column on the first problems found.
Nothing malformed reaches a chart: the build stops instead.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
from pathlib import Path

import pandas as pd

from pairing_assistance.places import Places

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Stage boundaries of the review's four-stage periodisation (section 3).
STAGE_YEARS = {
    "emergence": (1949, 1978),
    "exploration": (1979, 2009),
    "improvement": (2010, 2021),
    "upgrading": (2022, 2100),
}
MAX_REPORTED_ERRORS = 10
GEOMETRY = "provinces_geo"
# Links are published only to hosts listed in data/source_hosts.csv (the vetted publishers); a listed host
# covers its subdomains. The list is itself a table of the package, validated like the others.
HOSTS_TABLE = "source_hosts"
# Kinds of host a fact may be sourced from; licence_standard_software and bundled_software rows only vet
# identifiers and notices inside the repository and the site's own third-party files, never a data link.
SOURCE_KINDS = ("government", "party_or_state_media", "university_or_journal", "encyclopedia",
                "other_mainstream_media")
PAIR_STATUS_OPEN = ("in_force", "unknown")


class DataValidationError(ValueError):
    """A data file breaks its schema or a cross-table rule."""


class DataFolderMissing(FileNotFoundError):
    """No data folder where the package expects it (e.g. a classroom kit unpacked without ``data/``)."""

    def _render_traceback_(self) -> list[str]:
        # IPython/Jupyter print this instead of a traceback: the one line says what to do.
        return [str(self)]


def data_dir() -> Path:
    """The data folder: ``$PAIRING_DATA_DIR`` if set (tests use corrupted copies), else ``data/``."""
    folder = Path(os.environ.get("PAIRING_DATA_DIR", DATA_DIR))
    if not (folder / "datapackage.json").is_file():
        raise DataFolderMissing(
            f"找不到数据文件夹 {folder}（缺少 datapackage.json）/ data folder missing. 修复 / fix: 重新完整解压课堂包"
            " (unzip -o pairing-assistance-classroom.zip) 或恢复仓库的 data/ (git restore data)，"
            "或设置 PAIRING_DATA_DIR=<数据文件夹>")
    return folder


def _where(path: str, line: int | None, column: str | None) -> str:
    parts = [f"data/{path}"]
    if line is not None:
        parts.append(f"line {line}")
    if column:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def _frictionless_errors(package) -> list[str]:
    report = package.validate()
    messages = []
    for task in report.tasks:
        for error in task.errors:
            line = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            value = f" (value {cell!r})" if cell not in (None, "") else ""
            where = _where(Path(task.place).name if task.place else task.name, line, column)
            messages.append(f"{where}: {error.title.lower()}{value}: {error.note or error.message}")
    return messages


def _stage_errors(frame: pd.DataFrame, filename: str, year_column: str) -> list[str]:
    messages = []
    for index, row in _rows(frame):
        first, last = STAGE_YEARS[row["stage"]]
        if not first <= row[year_column] <= last:
            messages.append(
                f"{_where(filename, index + 2, year_column)}: year {row[year_column]} lies outside stage "
                f"'{row['stage']}' ({first}–{last})"
            )
    return messages


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def host_is_vetted(url: str, hosts) -> bool:
    """True if the URL's host, or a parent domain of it, is listed in data/source_hosts.csv."""
    host = _host(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


def _link_errors(frame: pd.DataFrame, filename: str, hosts, column: str = "source_url") -> list[str]:
    messages = []
    for index, url in frame[column].items():
        if url and not host_is_vetted(url, hosts):
            messages.append(f"{_where(filename, index + 2, column)}: host {_host(url)} is not in "
                            "data/source_hosts.csv (cite publisher, title and date instead of a repost)")
    return messages


def _rows(frame: pd.DataFrame):
    """(index, row as a dict) pairs: iterrows builds a Series per row, ten times slower on every notebook's load."""
    return zip(frame.index, frame.to_dict("records"))


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _status_errors(pairings: pd.DataFrame) -> list[str]:
    """status agrees with valid_to; superseded_by points to a later row of a superseded pair."""
    messages = []
    by_id = pairings.set_index("pairing_id")
    for index, row in _rows(pairings):
        where = _where("pairings.csv", index + 2, "status")
        is_open = pd.isna(row["valid_to"])
        if (row["status"] in PAIR_STATUS_OPEN) != is_open:
            messages.append(f"{where}: status '{row['status']}' contradicts valid_to "
                            f"'{'' if is_open else row['valid_to']}' (in_force/unknown need an empty valid_to, "
                            "ended/superseded a year)")
        successor = row["superseded_by"]
        if successor:
            where = _where("pairings.csv", index + 2, "superseded_by")
            if row["status"] != "superseded":
                messages.append(f"{where}: only a superseded row names a successor")
            elif successor in by_id.index and not is_open and by_id.loc[successor, "valid_from"] < row["valid_to"]:
                messages.append(f"{where}: successor {successor} starts before this row ends")
    return messages


def _place_errors(pairings: pd.DataFrame, places_table: pd.DataFrame) -> list[str]:
    """Each unit existed, at that level and under that name, in the year its pair began (data/places.csv)."""
    places = Places(_records(places_table))
    messages = []
    for index, row in _rows(pairings):
        for side in ("donor", "recipient"):
            problem = places.problem(row[f"{side}_code"], row[f"{side}_name"], row[f"{side}_level"],
                                     int(row["valid_from"]))
            if problem:
                messages.append(f"{_where('pairings.csv', index + 2, side + '_code')}: {problem}")
    return messages


def _source_id_errors(frame: pd.DataFrame, filename: str, known: set) -> list[str]:
    messages = []
    for index, ids in frame["source_ids"].items():
        for source_id in ids.split(";"):
            if source_id not in known:
                messages.append(f"{_where(filename, index + 2, 'source_ids')}: source '{source_id}' is not in "
                                "data/curation/sources.csv")
    return messages


def _pairing_errors(pairings: pd.DataFrame, regions: pd.DataFrame) -> list[str]:
    """Codes present where levels need them, windows ordered and not overlapping."""
    messages = []
    for index, row in _rows(pairings):
        line = index + 2
        for side in ("donor", "recipient"):
            code, level = row[f"{side}_code"], row[f"{side}_level"]
            if level == "university" and code:
                messages.append(f"{_where('pairings.csv', line, side + '_code')}: a university has no region code")
            elif level != "university" and not code:
                messages.append(f"{_where('pairings.csv', line, side + '_code')}: missing code for a {level}")
        if pd.notna(row["valid_to"]) and row["valid_to"] < row["valid_from"]:
            messages.append(f"{_where('pairings.csv', line, 'valid_to')}: ends before it starts")
        if row["confidence"] == "high" and not row["source_url"] and "repost" in row["note"]:
            messages.append(f"{_where('pairings.csv', line, 'confidence')}: a row read only on a repost is at most "
                            "medium")
    key = ["programme_id", "donor_name", "recipient_name"]
    previous_key, previous_end = None, None
    for index, row in _rows(pairings.sort_values([*key, "valid_from"], kind="stable")):
        this_key = tuple(row[k] for k in key)
        if this_key == previous_key and row["valid_from"] <= previous_end:
            messages.append(f"{_where('pairings.csv', index + 2, 'valid_from')}: {row['donor_name']}→"
                            f"{row['recipient_name']} overlaps an earlier window of the same pair")
        previous_key, previous_end = this_key, 9999 if pd.isna(row["valid_to"]) else row["valid_to"]
    return messages


def _cross_field_errors(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Rules the schema cannot state: stage matches year; lists of references resolve; pairing rules."""
    messages = _stage_errors(tables["timeline"], "timeline.csv", "year")
    messages += _stage_errors(tables["programmes"], "programmes.csv", "start_year")
    host_table = tables[HOSTS_TABLE]
    hosts = tuple(host_table.loc[host_table["kind"].isin(SOURCE_KINDS), "host"])
    known_sources = set(tables["sources"]["source_id"])
    messages += _pairing_errors(tables["pairings"], tables["regions"])
    messages += _status_errors(tables["pairings"])
    messages += _place_errors(tables["pairings"], tables["places"])
    for name, filename in (("pairings", "pairings.csv"), ("aid_figures", "aid_figures.csv"),
                           ("programmes", "programmes.csv")):
        messages += _link_errors(tables[name], filename, hosts)
    messages += _link_errors(tables["sources"], "curation/sources.csv", hosts, column="url")
    messages += _source_id_errors(tables["pairings"], "pairings.csv", known_sources)
    messages += _source_id_errors(tables["aid_figures"], "aid_figures.csv", known_sources)
    for index, row in _rows(tables["regions"]):
        if (row["level"] == "province") == bool(row["parent_code"]):
            messages.append(f"{_where('regions.csv', index + 2, 'parent_code')}: provinces have no parent, "
                            "other units must have one")
    known_refs = set(tables["studies"]["ref"])
    for index, row in _rows(tables["problems"]):
        refs = row["refs"] if isinstance(row["refs"], str) else ""
        for ref in filter(None, refs.split(";")):
            if int(ref) not in known_refs:
                messages.append(
                    f"{_where('problems.csv', index + 2, 'refs')}: reference {ref} is not in data/studies.csv"
                )
    return messages


def _read_csv(path: Path, fields: list[dict]) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    for field in fields:
        column = frame[field["name"]]
        kind = field.get("type", "string")
        if kind == "boolean":
            frame[field["name"]] = column.str.lower().eq("true").astype(bool)
        elif kind == "integer":
            frame[field["name"]] = pd.to_numeric(column.replace("", None)).astype("Int64")
        elif kind == "number":
            frame[field["name"]] = pd.to_numeric(column.replace("", None)).astype("float64")
        else:
            frame[field["name"]] = column.astype(object)
    return frame


def _package_digest(folder: Path, descriptor: dict, descriptor_bytes: bytes) -> str | None:
    """sha256 of exactly what Frictionless validates: the descriptor, every resource file, the validator's version."""
    digest = hashlib.sha256(f"frictionless {importlib.metadata.version('frictionless')}\n".encode())
    digest.update(descriptor_bytes)
    for resource in descriptor["resources"]:
        digest.update(resource["path"].encode() + b"\0")
        try:
            digest.update((folder / resource["path"]).read_bytes())
        except OSError:  # a missing file: Frictionless reports it by name
            return None
    return digest.hexdigest()


def _stamp_dir() -> Path:
    """Where validated packages are remembered: ``$PAIRING_CACHE_DIR``, else the user's cache folder."""
    base = os.environ.get("PAIRING_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(base) / "pairing-assistance" / "validated"


def _validate_once(folder: Path, descriptor: dict, descriptor_bytes: bytes) -> None:
    """Frictionless-validate the package unless these exact bytes passed before (about 1.6 s saved per notebook).

    The stamp's name is the digest of every byte validated, so any change to a table, the descriptor or the
    validator's version validates again; an invalid package never gets a stamp. A cache that cannot be written
    (read-only home) only costs the time.
    """
    digest = _package_digest(folder, descriptor, descriptor_bytes)
    stamp = _stamp_dir() / digest if digest else None
    if stamp and stamp.is_file():
        return
    import frictionless  # here, not at the top: importing it alone takes 0.35 s a notebook would otherwise pay

    errors = _frictionless_errors(frictionless.Package(str(folder / "datapackage.json")))
    if errors:
        raise DataValidationError(_summary(errors))
    if stamp is None:
        return
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass


@functools.lru_cache(maxsize=4)
def _load_package(folder: str) -> dict[str, pd.DataFrame]:
    path = Path(folder) / "datapackage.json"
    if not path.exists():
        raise DataValidationError(f"{path}: data package descriptor not found")
    descriptor_bytes = path.read_bytes()
    descriptor = json.loads(descriptor_bytes)
    _validate_once(Path(folder), descriptor, descriptor_bytes)
    tables = {
        resource["name"]: _read_csv(Path(folder) / resource["path"], resource["schema"]["fields"])
        for resource in descriptor["resources"] if resource.get("format") == "csv"
    }
    errors = _cross_field_errors(tables)
    if errors:
        raise DataValidationError(_summary(errors))
    return tables


def _summary(errors: list[str]) -> str:
    shown = errors[:MAX_REPORTED_ERRORS]
    more = len(errors) - len(shown)
    tail = f"\n… and {more} more" if more else ""
    return "invalid data:\n" + "\n".join(shown) + tail


def load_geometry() -> dict:
    """The simplified province boundaries (TopoJSON, object ``provinces``), checked against regions.csv."""
    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == GEOMETRY)
    path = data_dir() / resource["path"]
    topology = json.loads(path.read_text(encoding="utf-8"))
    codes = {g["properties"]["code"] for g in topology["objects"]["provinces"]["geometries"]}
    regions = load_table("regions")
    provinces = set(regions.loc[regions["level"] == "province", "code"])
    if codes != provinces:
        raise DataValidationError(f"data/{resource['path']}: province codes differ from data/regions.csv: "
                                  f"{sorted(codes ^ provinces)}")
    return topology


def table_names() -> list[str]:
    """Names of the tables described in the data package."""
    return list(_load_package(str(data_dir())))


def load_table(name: str) -> pd.DataFrame:
    """Return a validated copy of table ``name`` (see ``data/datapackage.json``)."""
    tables = _load_package(str(data_dir()))
    if name not in tables:
        raise KeyError(f"no table '{name}' in data/datapackage.json; known: {', '.join(tables)}")
    return tables[name].copy()
