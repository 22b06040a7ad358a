from governance import services
from qaportal.scheduling import JobCommand


class Command(JobCommand):
    help = "Build the quarterly QA and practice improvement report."
    job_name = "quarterly_report_build"
    service = staticmethod(services.quarterly_report_build)
