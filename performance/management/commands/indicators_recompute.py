from performance import services
from qaportal.scheduling import JobCommand


class Command(JobCommand):
    help = "Recompute indicator values for every organisation, service, team and month."
    job_name = "indicators_recompute"
    service = staticmethod(services.indicators_recompute)
