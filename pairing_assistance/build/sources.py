"""Step: vetted hosts and the source table; citations of rows resolve to source ids.

``data/source_hosts.csv`` lists the hosts that may be linked; ``data/curation/sources.csv`` has one row per
source (citation, kind, URL on a vetted host or none). Every source must be cited by some row, every
cited id must exist, and published text must not name an unvetted host (a renderer might link it).
"""

from __future__ import annotations

import re

from pairing_assistance.build.tables import BuildError, Row, check_unique, curation, data_dir, read_table

SOURCE_COLUMNS = ["source_id", "kind", "title", "publisher", "date", "document_number", "url", "facts_key", "note"]
# A source read only on a repost or mirror: its row keeps the citation, no URL, and at most medium.
REPOST_NOTE = "Official page not found"
HOST_TOKEN = re.compile(r"(?<![@\w])((?:[a-z0-9-]+\.)+(?:com|cn|net|org|info|xyz|me|pk|biz|icu|cc|tw|io|top))"
                        r"(?![\w.])|\b\d{1,3}(?:\.\d{1,3}){3}\b", re.I)


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()


def on_allow_list(url: str, hosts: tuple[str, ...]) -> bool:
    """A listed host covers itself and its subdomains."""
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


def unvetted_host(text: str, hosts: tuple[str, ...]) -> str:
    """The first host named in ``text`` that is not vetted ('' if none)."""
    for match in HOST_TOKEN.finditer(text or ""):
        if not on_allow_list("http://" + match.group(0), hosts):
            return match.group(0)
    return ""


def check_published_text(text: str, where: str, hosts: tuple[str, ...]) -> None:
    token = unvetted_host(text, hosts)
    if token:
        raise BuildError(f"{where}: published text names the unvetted host '{token}'")


class Sources:
    """The source table, indexed by id; remembers which ids rows cite."""

    def __init__(self):
        from pairing_assistance.data import SOURCE_KINDS  # a source links only to a host vetted for facts

        self.hosts = tuple(row["host"] for row in read_table(data_dir() / "source_hosts.csv", ["host", "kind", "note"])
                           if row["kind"] in SOURCE_KINDS)
        self.rows = read_table(curation("sources.csv"), SOURCE_COLUMNS)
        self.by_id = {key[0]: row for key, row in check_unique(self.rows, ("source_id",), "source id").items()}
        self.used: set[str] = set()
        for row in self.rows:
            if not row["title"]:
                row.fail("title", "a source needs a title")
            if row["url"] and not on_allow_list(row["url"], self.hosts):
                row.fail("url", f"host {host_of(row['url'])!r} is not in data/source_hosts.csv")
            check_published_text(row["title"] + " " + row["note"], row.where("title"), self.hosts)

    def cite(self, ids: str, row: Row, column: str) -> dict:
        """Citation fields for ';'-separated source ids named in ``row[column]`` (or passed directly)."""
        cited = []
        for source_id in filter(None, ids.split(";")):
            source = self.by_id.get(source_id)
            if source is None:
                row.fail(column, f"source {source_id!r} is not in data/curation/sources.csv")
            self.used.add(source_id)
            cited.append(source)
        if not cited:
            row.fail(column, "no source: every row cites at least one row of data/curation/sources.csv")
        urls = [s["url"] for s in cited if s["url"]]
        return {"source_title": "; ".join(s["title"] for s in cited), "source_url": urls[0] if urls else "",
                "source_ids": ";".join(s["source_id"] for s in cited),
                "_repost_only": not urls and any(s["note"].startswith(REPOST_NOTE) for s in cited)}

    def check_all_used(self) -> None:
        for row in self.rows:
            if row["source_id"] not in self.used:
                row.fail("source_id", f"source {row['source_id']!r} is cited by no row (remove it or cite it)")
