"""Check that the lock files hold every pin of pyproject.toml, at the same version.

Usage: python3 scripts/check_lock.py   (exit 1 with the differences; `make lock` mends)
Only the standard library is used.
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        match = PIN.match(line.strip())
        if match:
            found[_name(match.group(1))] = match.group(2)
    return found


def problems() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {
        "base": pins(project["dependencies"]),
        "test": pins(project["dependencies"] + project["optional-dependencies"]["test"]),
    }
    locked = {
        label: pins((ROOT / "requirements" / f"{label}.lock").read_text().splitlines())
        for label in wanted
    }
    found = []
    for label, direct in wanted.items():
        for name, version in sorted(direct.items()):
            have = locked[label].get(name)
            if have != version:
                found.append(f"{label}.lock has {name} {have}, pyproject.toml pins {version}")
    for name, version in sorted(locked["base"].items()):
        if locked["test"].get(name) != version:
            found.append(f"base.lock has {name} {version}, test.lock {locked['test'].get(name)}")
    return found


def main() -> None:
    found = problems()
    for problem in found:
        sys.stderr.write(f"{problem}\n")
    if found:
        sys.stderr.write("The lock files do not match pyproject.toml: run `make lock`.\n")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
