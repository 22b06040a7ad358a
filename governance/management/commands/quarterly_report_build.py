from core.scheduling import JobCommand
from governance import services


class Command(JobCommand):
    help = "Build the quarterly QA and practice improvement report."
    job_name = "quarterly_report_build"
    service = staticmethod(services.quarterly_report_build)
