from core.scheduling import JobCommand
from performance import services


class Command(JobCommand):
    help = "Recompute indicator values for every organisation, service, team and month."
    job_name = "indicators_recompute"
    service = staticmethod(services.indicators_recompute)
