from core.scheduling import JobCommand
from performance.services import imports


class Command(JobCommand):
    help = "End the import runs a lost worker left unfinished and delete their uploads."
    job_name = "import_runs_sweep"
    service = staticmethod(imports.import_runs_sweep)
