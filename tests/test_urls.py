"""Every URL in the repository and in the built site is on a vetted host (data/source_hosts.csv).

The repository is itself published: a link to a repost, a mirror or any unvetted host must not appear
in data, book, package, scripts, README, CITATION.cff or notebook outputs. The site scan runs after the
build (marker ``site``); the repository scan runs in the normal suite.
"""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from pairing_assistance.data import host_is_vetted

HOSTS_FILE = ROOT / "data" / "source_hosts.csv"
SITE = ROOT / "_build" / "html"
URL = re.compile(r"https?://[^\s\"'<>()\[\]{}\\,，。；、）】|`]+", re.I)
# Bare host names in published data fields (a renderer might turn them into links).
BARE_HOST = re.compile(r"(?<![@\w./-])((?:[a-z0-9-]+\.)+(?:com|cn|net|org|info|xyz|me|pk|biz|icu|cc|tw|io|top))"
                       r"(?![\w.])|(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])", re.I)
LOOPBACK = {"localhost", "127.0.0.1"}  # the test server and the README's preview command, not links out
TEXT_SUFFIXES = {".py", ".md", ".ipynb", ".csv", ".json", ".yml", ".yaml", ".cff", ".toml", ".txt", ".cfg", ".sh",
                 ".html", ".js", ".css", ".bib", ".tex", ".svg", ".xml", ""}


def vetted_hosts(site: bool = False) -> tuple[str, ...]:
    """Hosts a URL may name: in the repository every kind but bundled_software (URLs inside third-party
    files the built site serves), which is accepted only in the built site."""
    with HOSTS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(row["host"] for row in csv.DictReader(handle) if site or row["kind"] != "bundled_software")


def repository_files() -> list[Path]:
    """Tracked and new (not ignored) files of the checkout."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    files = [ROOT / name for name in listed if name]
    return [f for f in files if f.is_file() and f.suffix in TEXT_SUFFIXES]


def unvetted_urls(paths, hosts, root: Path) -> list[str]:
    """'file:line: url' for every URL whose host is not vetted."""
    found = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in URL.finditer(line):
                url = match.group(0)
                host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
                if host in LOOPBACK or host_is_vetted(url, hosts):
                    continue
                found.append(f"{path.relative_to(root)}:{number}: {url}")
    return found


def unvetted_bare_hosts(paths, hosts, root: Path) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in BARE_HOST.finditer(URL.sub("", line)):
                token = match.group(0)
                if not host_is_vetted("http://" + token, hosts):
                    found.append(f"{path.relative_to(root)}:{number}: {token}")
    return found


def test_the_scanner_names_file_and_line_of_an_unvetted_url(tmp_path):
    page = tmp_path / "page.md"
    bad = "http" + "://mirror.example.invalid/copy.html"  # built from parts so this file stays clean
    page.write_text("intro\nsee " + "https://www.gov.cn/a.htm" + " and " + bad + "\n", encoding="utf-8")
    assert unvetted_urls([page], vetted_hosts(), tmp_path) == [f"page.md:2: {bad}"]
    assert unvetted_urls([page], vetted_hosts() + ("example.invalid",), tmp_path) == []


def test_a_listed_host_covers_subdomains_only():
    hosts = ("gov.cn",)
    assert host_is_vetted("https://www.beijing.gov.cn/x", hosts)
    scheme = "https" + "://"  # URLs built from parts so that this file passes its own scan
    assert not host_is_vetted(scheme + "notgov.cn/x", hosts)
    assert not host_is_vetted(scheme + "gov.cn.example.invalid/x", hosts)


def test_host_table_is_well_formed():
    with HOSTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["host"] for r in rows] == sorted({r["host"] for r in rows}, key=[r["host"] for r in rows].index)
    kinds = {r["kind"] for r in rows}
    assert kinds <= {"government", "party_or_state_media", "university_or_journal", "encyclopedia",
                     "other_mainstream_media", "licence_standard_software", "bundled_software"}
    # The non-source kind is used sparingly and always explained.
    special = [r for r in rows if r["kind"] == "licence_standard_software"]
    assert len(special) <= 5 and all(len(r["note"]) > 40 for r in special)
    # Hosts inside the site's third-party files: each row names the library it comes from.
    bundled = [r for r in rows if r["kind"] == "bundled_software"]
    assert all(r["note"].startswith("Inside a third-party file the site serves from itself (") for r in bundled)


def test_every_url_in_the_repository_is_on_a_vetted_host():
    offenders = unvetted_urls(repository_files(), vetted_hosts(), ROOT)
    assert not offenders, "URLs on hosts not in data/source_hosts.csv:\n" + "\n".join(offenders[:40])


def test_published_data_fields_name_no_unvetted_host():
    # the host table itself names every vetted host, bundled_software ones included
    tables = [p for p in repository_files() if p.suffix == ".csv" and p.parts[-2] in ("data", "curation")
              and p != HOSTS_FILE]
    offenders = unvetted_bare_hosts(tables, vetted_hosts(), ROOT)
    assert not offenders, "\n".join(offenders[:40])


@pytest.mark.site
def test_every_url_in_the_built_site_is_on_a_vetted_host():
    if not (SITE / "index.html").exists():
        pytest.fail("_build/html is missing: build the book before the site tests")
    pages = [p for p in SITE.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".css", ".json", ".txt"}]
    offenders = unvetted_urls(pages, vetted_hosts(site=True), SITE)
    assert not offenders, "URLs on hosts not in data/source_hosts.csv:\n" + "\n".join(offenders[:40])
