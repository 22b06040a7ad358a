from governance import services
from qaportal.scheduling import JobCommand


class Command(JobCommand):
    help = "Create each team's Performance Exceptions return for the month."
    job_name = "exceptions_returns_create"
    service = staticmethod(services.exceptions_returns_create)
