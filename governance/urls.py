from django.urls import path

from governance.views import (
    board,
    boards,
    briefs,
    cascade,
    plan,
    process_changes,
    regional,
    reports,
    returns,
)

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
    # Scheduled reports (views/reports.py).
    path("reports/", reports.report_list, name="report_list"),
    path("reports/<int:report_pk>/", reports.report_detail, name="report_detail"),
    path(
        "reports/<int:report_pk>/narrative/<slug:section_key>/",
        reports.report_narrative,
        name="report_narrative",
    ),
    path("reports/<int:report_pk>/publish/", reports.report_publish, name="report_publish"),
    path("reports/<int:report_pk>/retry/", reports.report_retry, name="report_retry"),
    path(
        "reports/<int:report_pk>/regenerate/", reports.report_regenerate, name="report_regenerate"
    ),
    path("reports/<int:report_pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<int:report_pk>/xlsx/", reports.report_xlsx, name="report_xlsx"),
    # Boards and meetings; learning briefs (views/boards.py, views/briefs.py).
    path("boards/", boards.board_list, name="board_list"),
    path("boards/new/", boards.board_create, name="board_create"),
    path("boards/<int:board_pk>/", boards.board_detail, name="board_detail"),
    path("boards/<int:board_pk>/edit/", boards.board_edit, name="board_edit"),
    path("boards/<int:board_pk>/meetings/new/", boards.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_pk>/", boards.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_pk>/edit/", boards.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_pk>/agenda/", boards.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:meeting_pk>/minutes/", boards.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_pk>/decisions/", boards.meeting_decision, name="meeting_decision"),
    path("briefs/", briefs.brief_list, name="brief_list"),
    path("briefs/new/", briefs.brief_new, name="brief_new"),
    path("briefs/<int:brief_pk>/", briefs.brief_detail, name="brief_detail"),
    path("briefs/<int:brief_pk>/edit/", briefs.brief_edit, name="brief_edit"),
    path("briefs/<int:brief_pk>/publish/", briefs.brief_publish, name="brief_publish"),
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
