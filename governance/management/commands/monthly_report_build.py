from governance import services
from qaportal.scheduling import JobCommand


class Command(JobCommand):
    help = "Build last month's QA report."
    job_name = "monthly_report_build"
    service = staticmethod(services.monthly_report_build)
