"""Demo data: a fictional region of three councils and a regional adoption agency.

`load_demo` (the management command of the same name) creates whatever of it is missing.
"""

from cases.demo.builder import load_demo, summary

__all__ = ["load_demo", "summary"]
