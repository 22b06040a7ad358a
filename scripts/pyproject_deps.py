"""Print the pinned requirements of pyproject.toml, one per line.

Usage: python3 scripts/pyproject_deps.py [EXTRA ...]

Prints [project].dependencies followed by each named optional-dependency group
(for example ``test``). The bootstrap feeds the output to ``pip install -r``, so the
project is never built or installed itself: pyproject.toml is the single list of pins.
Only the standard library is used, so this runs before any virtualenv exists.
"""

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirements(extras: list[str]) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"pyproject.toml has no optional-dependencies group {extra!r}")
        lines.extend(optional[extra])
    return lines


def main() -> None:
    sys.stdout.write("".join(f"{line}\n" for line in requirements(sys.argv[1:])))


if __name__ == "__main__":
    main()
