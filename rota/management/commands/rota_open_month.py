from core.scheduling import JobCommand
from rota import services


class Command(JobCommand):
    help = "Open this month's rota slots on the first working day (never in August or December)."
    job_name = "rota_open_month"
    service = staticmethod(services.rota_open_month)
