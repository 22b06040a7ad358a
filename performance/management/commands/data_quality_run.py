from core.scheduling import JobCommand
from performance import services


class Command(JobCommand):
    help = "Run the data-quality rules over every record."
    job_name = "data_quality_run"
    service = staticmethod(services.data_quality_run)
