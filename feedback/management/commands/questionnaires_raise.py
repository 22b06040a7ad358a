from core.scheduling import JobCommand
from feedback import questionnaires


class Command(JobCommand):
    help = (
        "Raise the questionnaires missing for the journey events of the last 90 days "
        "(events imported in bulk raise none as they are written)."
    )
    job_name = questionnaires.JOB
    service = staticmethod(questionnaires.questionnaires_raise_everywhere)
