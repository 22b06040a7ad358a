from core.scheduling import JobCommand
from governance import services


class Command(JobCommand):
    help = "Build last month's QA report."
    job_name = "monthly_report_build"
    service = staticmethod(services.monthly_report_build)
