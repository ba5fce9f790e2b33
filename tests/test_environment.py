"""The pinned environment: requirements files pin exactly, requirements.lock pins everything they pull in,
the two agree, and the running environment is the locked one. Also the project metadata (pyproject.toml)."""

import re
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LOCK = ROOT / "requirements.lock"
# The files that install the book's environment (build, test, teach). requirements-maintainer.txt is not one:
# its tools run once on a maintainer's machine and are not locked.
REQUIREMENT_FILES = ["requirements.txt", "requirements-jupyter.txt", "requirements-classroom.txt"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)\s*(#.*)?$")


def pins(path):
    """{canonical name: (version, 'file:line')} of one requirements file, following -r includes."""
    found = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        where = f"{path.name}:{number}"
        if not line or line.startswith("#") or line in {"-e .", "-c requirements.lock"}:
            continue
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
            continue
        match = PIN.match(line)
        assert match, f"{where}: {line!r} is not an exact pin (name==version)"
        found[canonicalize_name(match[1])] = (match[2], where)
    return found


def lock():
    return {name: version for name, (version, _) in pins(LOCK).items()}


def requirement_files():
    return [name for name in REQUIREMENT_FILES if (ROOT / name).exists()]


@pytest.mark.parametrize("name", requirement_files())
def test_every_pin_of_a_requirements_file_is_in_the_lock_at_the_same_version(name):
    locked = lock()
    for package, (version, where) in pins(ROOT / name).items():
        assert package in locked, f"{where}: {package}=={version} is missing from requirements.lock (regenerate it)"
        assert locked[package] == version, \
            f"{where}: {package}=={version} but requirements.lock has {package}=={locked[package]}"


def installed_closure(roots):
    """Canonical names of the installed distributions that the roots need, transitively (markers applied)."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_the_lock_holds_everything_the_book_environment_pulls_in_at_the_installed_version():
    locked = lock()
    closure = installed_closure(pins(ROOT / "requirements.txt"))
    assert len(closure) > 100, "the walk should reach every transitive dependency"
    unlocked = sorted(closure - set(locked))
    assert not unlocked, f"installed and needed but not in requirements.lock: {unlocked}"
    differ = {name: (metadata.version(name), locked[name]) for name in closure
              if metadata.version(name) != locked[name]}
    assert not differ, f"installed version differs from requirements.lock (installed, locked): {differ}"


def test_the_lock_pins_exact_versions_only_and_no_project():
    text = LOCK.read_text(encoding="utf-8")
    assert "-e " not in text and "pairing-assistance" not in text and "pairing_assistance" not in text
    assert len(lock()) >= 150


def test_project_metadata_uses_the_spdx_licence_and_a_bounded_setuptools():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    (requirement,) = [Requirement(r) for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    assert "77" in requirement.specifier and "76.9" not in requirement.specifier
    assert any(spec.operator == "<" for spec in requirement.specifier), "setuptools must have an upper bound"


def test_kernel_log_filter_drops_only_the_two_notices():
    """The kernels' transport notice and the interrupt jupyter_client sends before every shutdown stay out of
    build logs (scripts/ipython_kernel_config.py); any other kernel error still shows."""
    import logging
    import runpy

    config = runpy.run_path(str(ROOT / "scripts" / "ipython_kernel_config.py"),
                            init_globals={"get_config": lambda: type("Config", (), {"IPKernelApp": type("App", (), {})()})()})
    keep = config["_WithoutTransportNotice"]().filter

    def record(message):
        return logging.LogRecord("IPKernelApp", logging.ERROR, __file__, 1, message, None, None)

    assert not keep(record("KeyboardInterrupt caught in kernel."))
    assert not keep(record("Kernel is running over TCP without encryption. All communication ..."))
    assert keep(record("Exception in message handler:"))
