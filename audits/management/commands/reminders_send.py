from audits.services import jobs as services
from core.scheduling import JobCommand


class Command(JobCommand):
    help = "Send reminders for work due soon and escalate overdue work."
    job_name = "reminders_send"
    service = staticmethod(services.reminders_send)
