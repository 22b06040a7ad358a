"""Every Celery beat schedule in one place, each cron explained.

Tasks that must run "on the first working day of the month" are scheduled daily on
days 1-4 and check for themselves whether today is that day (bank holidays included),
so a run on any other day is a no-op.
"""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # 01:30 every night: indicators first, so the data-quality run sees fresh values. Queues
    # one task per organisation (its values, then its alert rules).
    "nightly-recompute-indicators": {
        "task": "performance.tasks.indicators_recompute_task",
        "schedule": crontab(hour=1, minute=30),
    },
    # 02:30 every night: data-quality rules over all records, one task per organisation.
    "nightly-data-quality": {
        "task": "performance.tasks.data_quality_run_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # 03:30 every night: end import runs a lost worker left behind, delete their uploads
    # (also run when a worker starts: performance/apps.py).
    "nightly-import-sweep": {
        "task": "performance.tasks.import_runs_sweep_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # 04:30 every night: raise the questionnaires that journey events imported in bulk
    # (without signals) did not, so the workers hear of them before the reminders at 07:00.
    "nightly-questionnaires-raise": {
        "task": "feedback.tasks.questionnaires_raise_task",
        "schedule": crontab(hour=4, minute=30),
    },
    # 05:30 every night: gather the day's actions from every app into each organisation's
    # improvement plan (idempotent), before the reminders.
    "nightly-plan-gather": {
        "task": "governance.tasks.plan_gather_task",
        "schedule": crontab(hour=5, minute=30),
    },
    # 07:00 every night (before the working day): reminders and escalations.
    "nightly-reminders": {
        "task": "rota.tasks.reminders_send_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # 06:00 on days 1-4: the first working day opens the rota (not August/December).
    "monthly-open-rota": {
        "task": "rota.tasks.rota_open_month_task",
        "schedule": crontab(hour=6, minute=0, day_of_month="1-4"),
    },
    # 06:15 on days 1-4: the first working day creates each team's exceptions return.
    "monthly-exceptions-returns": {
        "task": "governance.tasks.exceptions_returns_create_task",
        "schedule": crontab(hour=6, minute=15, day_of_month="1-4"),
    },
    # 06:30 on days 1-4: the first working day builds last month's report.
    "monthly-report": {
        "task": "governance.tasks.monthly_report_build_task",
        "schedule": crontab(hour=6, minute=30, day_of_month="1-4"),
    },
    # 05:00 on the 1st-4th of January, April, July, October: the quarterly QA report.
    "quarterly-report": {
        "task": "governance.tasks.quarterly_report_build_task",
        "schedule": crontab(hour=5, minute=0, day_of_month="1-4", month_of_year="1,4,7,10"),
    },
    # 05:00 on the 1st-4th of April and October: Journey of the Child and Adopter report.
    "six-monthly-journey-report": {
        "task": "governance.tasks.journey_report_build_task",
        "schedule": crontab(hour=5, minute=0, day_of_month="1-4", month_of_year="4,10"),
    },
    # 04:00 on the 1st-4th of April: the annual report and draft self-evaluation.
    "annual-report": {
        "task": "governance.tasks.annual_report_build_task",
        "schedule": crontab(hour=4, minute=0, day_of_month="1-4", month_of_year="4"),
    },
}
