from django.urls import path

from governance.views import board, cascade, plan, process_changes, regional, returns

app_name = "governance"

# One block per feature; paths never change once published.
urlpatterns = [
    # The Quality Improvement Action Plan (views/plan.py).
    path("plan/", plan.plan_overview, name="plan"),
    path("plan/gather/", plan.plan_gather, name="plan_gather"),
    path("plan/actions/", plan.action_list, name="action_list"),
    path("plan/actions/new/", plan.action_new, name="action_new"),
    path("plan/actions/<int:plan_action_pk>/", plan.action_detail, name="action_detail"),
    path("plan/actions/<int:plan_action_pk>/edit/", plan.action_edit, name="action_edit"),
    path("plan/actions/<int:plan_action_pk>/update/", plan.action_update, name="action_update"),
    path(
        "plan/actions/<int:plan_action_pk>/evidence/", plan.action_evidence, name="action_evidence"
    ),
    path("plan/actions/<int:plan_action_pk>/impact/", plan.action_impact, name="action_impact"),
    path(
        "plan/actions/<int:plan_action_pk>/re-audit/", plan.action_re_audit, name="action_re_audit"
    ),
    path("plan/priorities/", plan.priority_list, name="priority_list"),
    path("plan/priorities/<int:priority_pk>/", plan.priority_detail, name="priority_detail"),
    path(
        "plan/priorities/<int:priority_pk>/re-audit/",
        plan.priority_re_audit,
        name="priority_re_audit",
    ),
    path("plan/reviews/", plan.review_list, name="review_list"),
    path("plan/reviews/<int:review_pk>/", plan.review_detail, name="review_detail"),
    path("plan/quarterly/", plan.quarterly, name="plan_quarterly"),
    # Board dashboards, SPC and triangulation (views/board.py).
    path("board/", board.board_page, name="board"),
    # Before board/<slug:measure>/, which would otherwise take "process-changes".
    path("board/process-changes/", process_changes.process_change_list, name="process_changes"),
    # Before board/<slug:measure>/<str:month>/, which would otherwise take "themes/<n>".
    path("board/themes/<int:theme_pk>/", board.board_theme, name="board_theme"),
    path("board/<slug:measure>/", board.board_measure, name="board_measure"),
    path("board/<slug:measure>/<str:month>/", board.board_month, name="board_month"),
    path(
        "board/process-changes/<int:process_change_pk>/delete/",
        process_changes.process_change_delete,
        name="process_change_delete",
    ),
    # The regional view: partner councils side by side (views/regional.py).
    path("regional/", regional.regional_page, name="regional"),
    path("regional/<slug:regional_measure>/", regional.regional_measure, name="regional_measure"),
    # Performance Exceptions returns (views/returns.py).
    path("returns/", returns.return_list, name="return_list"),
    path("returns/summary/", returns.return_summary, name="return_summary"),
    path("returns/<int:return_pk>/", returns.return_detail, name="return_detail"),
    path("returns/<int:return_pk>/review/", returns.return_review, name="return_review"),
    # The Performance and Outcomes cascade above the service, and actions raised in it
    # (views/cascade.py, views/returns.py).
    path("returns/cascade/<slug:cascade_level>/", cascade.return_cascade, name="return_cascade"),
    path(
        "returns/<int:return_pk>/actions/",
        returns.return_action_raise,
        name="return_action_raise",
    ),
    path(
        "returns/actions/<int:return_action_pk>/done/",
        returns.return_action_complete,
        name="return_action_complete",
    ),
]
