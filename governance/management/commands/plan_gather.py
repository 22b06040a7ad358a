from core.scheduling import JobCommand
from governance import plan


class Command(JobCommand):
    help = "Gather every app's actions into each organisation's improvement plan."
    job_name = "plan_gather"
    service = staticmethod(plan.plan_gather)
