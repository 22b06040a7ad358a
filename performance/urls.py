from django.urls import path

from performance.views import imports, indicators, quality

app_name = "performance"

urlpatterns = [
    # Indicators, KPQs, targets and benchmarks (performance/views/indicators.py)
    path("performance/", indicators.indicator_list, name="indicator_list"),
    path(
        "performance/indicators/<slug:slug>/",
        indicators.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "performance/indicators/<slug:slug>/records/",
        indicators.indicator_records,
        name="indicator_records",
    ),
    path("performance/questions/<int:kpq>/", indicators.kpq_detail, name="kpq_detail"),
    path("performance/targets/", indicators.targets, name="targets"),
    path("performance/proposals/", indicators.proposals, name="proposals"),
    path(
        "performance/proposals/rules/<int:rule_pk>/stop/",
        indicators.rule_stop,
        name="rule_stop",
    ),
    path(
        "performance/proposals/<int:proposal_pk>/dismiss/",
        indicators.proposal_dismiss,
        name="proposal_dismiss",
    ),
    # Data quality (performance/views/quality.py)
    path("performance/data-quality/", quality.quality_dashboard, name="quality_dashboard"),
    path(
        "performance/data-quality/issues/<int:issue_pk>/",
        quality.quality_issue,
        name="quality_issue",
    ),
    path(
        "performance/data-quality/issues/<int:issue_pk>/note/",
        quality.quality_issue_note,
        name="quality_issue_note",
    ),
    path(
        "performance/data-quality/issues/<int:issue_pk>/chase/",
        quality.quality_issue_chase,
        name="quality_issue_chase",
    ),
    path(
        "performance/data-quality/issues/<int:issue_pk>/resolve/",
        quality.quality_issue_resolve,
        name="quality_issue_resolve",
    ),
    path(
        "performance/data-quality/issues/<int:issue_pk>/wont-fix/",
        quality.quality_issue_wont_fix,
        name="quality_issue_wont_fix",
    ),
    # Case-data import (performance/views/imports.py)
    path("performance/imports/", imports.import_list, name="import_list"),
    path("performance/imports/guide/", imports.import_guide, name="import_guide"),
    *[
        path(
            f"performance/imports/templates/{key.replace('_', '-')}.csv",
            imports.import_template,
            {"key": key},
            name=f"import_template_{key}",
        )
        for key in imports.TEMPLATES
    ],
    path("performance/imports/<int:import_pk>/", imports.import_detail, name="import_detail"),
    path(
        "performance/imports/<int:import_pk>/report.csv",
        imports.import_report,
        name="import_report",
    ),
]
