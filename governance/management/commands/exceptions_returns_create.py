from core.scheduling import JobCommand
from governance import services


class Command(JobCommand):
    help = "Create each team's Performance Exceptions return for the month."
    job_name = "exceptions_returns_create"
    service = staticmethod(services.exceptions_returns_create)
