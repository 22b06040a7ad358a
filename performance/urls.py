from django.urls import path

from performance.views import imports, indicators, quality  # noqa: F401  (filled in by each feature)

app_name = "performance"

urlpatterns = [
    # Indicators, KPQs, targets and benchmarks (performance/views/indicators.py)
    path("performance/", indicators.indicator_list, name="indicator_list"),
    # Data quality (performance/views/quality.py)
    # Case-data import (performance/views/imports.py)
]
