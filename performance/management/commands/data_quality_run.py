from performance import services
from performance.management.organisation_job import OrganisationJobCommand


class Command(OrganisationJobCommand):
    help = "Run the data-quality rules over every record, one organisation at a time."
    job_name = "data_quality_run"
    service = staticmethod(services.data_quality_run)
