"""Case-data import: children, cases and journey events from our templates, and the DfE
children looked after return (SSDA903). See runs.py for the life of a run, layouts.py
for the files we take and ssda903.py for how the return maps to the portal."""

from performance.services.imports.runs import (
    import_run_create,
    import_run_fail,
    import_run_process,
    import_runs_sweep,
    lock_name,
)

__all__ = [
    "import_run_create",
    "import_run_fail",
    "import_run_process",
    "import_runs_sweep",
    "lock_name",
]
