from core.scheduling import JobCommand
from governance import services


class Command(JobCommand):
    help = "Build the annual report and the draft self-evaluation."
    job_name = "annual_report_build"
    service = staticmethod(services.annual_report_build)
