from core.scheduling import JobCommand
from governance import services


class Command(JobCommand):
    help = "Build the six-monthly Journey of the Child and Adopter report."
    job_name = "journey_report_build"
    service = staticmethod(services.journey_report_build)
