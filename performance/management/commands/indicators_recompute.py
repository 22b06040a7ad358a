from performance import services
from performance.management.organisation_job import OrganisationJobCommand


class Command(OrganisationJobCommand):
    help = (
        "Recompute indicator values for every organisation (one at a time), service, team "
        "and month, then run each organisation's alert rules."
    )
    job_name = "indicators_recompute"
    service = staticmethod(services.indicators_recompute)
