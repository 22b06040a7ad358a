from core.scheduling import JobCommand
from rota import services


class Command(JobCommand):
    help = "Send reminders for work due soon and escalate overdue work."
    job_name = "reminders_send"
    service = staticmethod(services.reminders_send)
