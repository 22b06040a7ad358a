from django.urls import path

from audits.views import audit, family_links, feedback, lists, supervision, tools

app_name = "audits"

urlpatterns = [
    # Lists and exports (audits/views/lists.py)
    path("audits/", lists.audit_list, name="audit_list"),
    path("audits/export.xlsx", lists.audit_export, name="audit_export"),
    path("audits/mine/", lists.my_audits, name="my_audits"),
    # Doing an audit (audits/views/audit.py)
    path("audits/new/", audit.audit_start, name="audit_start"),
    path("audits/<int:audit_pk>/", audit.audit_detail, name="audit_detail"),
    path("audits/<int:audit_pk>/sections/<int:section_pk>/", audit.section, name="section"),
    path(
        "audits/<int:audit_pk>/sections/<int:section_pk>/family-links/",
        family_links.family_link_new,
        name="family_link_new",
    ),
    path(
        "audits/<int:audit_pk>/sections/<int:section_pk>/family-links/withdraw/",
        family_links.family_link_withdraw,
        name="family_link_withdraw",
    ),
    path("audits/<int:audit_pk>/findings/", audit.findings, name="findings"),
    path("audits/<int:audit_pk>/actions/new/", audit.action_new, name="action_new"),
    path("audits/<int:audit_pk>/submit/", audit.submit, name="submit"),
    path(
        "audits/<int:audit_pk>/remind-practitioner/",
        audit.remind_practitioner,
        name="remind_practitioner",
    ),
    path("audits/<int:audit_pk>/oversight/", audit.oversight, name="oversight"),
    path("audits/<int:audit_pk>/moderate/", audit.moderate, name="moderate"),
    path("audits/<int:audit_pk>/acknowledge/", audit.acknowledge, name="acknowledge"),
    path("audits/<int:audit_pk>/pdf/", audit.audit_pdf, name="audit_pdf"),
    path("audits/<int:audit_pk>/history/", audit.audit_history, name="audit_history"),
    path("audits/actions/<int:action_pk>/done/", audit.action_done, name="action_done"),
    # Supervision QA (audits/views/supervision.py)
    path(
        "audits/supervision/new/",
        supervision.supervision_audit_start,
        name="supervision_audit_start",
    ),
    # 360-degree feedback on supervision (audits/views/feedback.py)
    path("audits/supervision-feedback/", feedback.feedback_list, name="feedback_list"),
    path("audits/supervision-feedback/new/", feedback.feedback_new, name="feedback_new"),
    path(
        "audits/supervision-feedback/<int:round_pk>/",
        feedback.feedback_detail,
        name="feedback_detail",
    ),
    path(
        "audits/supervision-feedback/<int:round_pk>/answer/",
        feedback.feedback_answer,
        name="feedback_answer",
    ),
    # Audit tools, for the QA manager (audits/views/tools.py)
    path("tools/", tools.tool_list, name="tool_list"),
    path("tools/new/", tools.tool_new, name="tool_new"),
    path("tools/<int:tool_pk>/", tools.tool_detail, name="tool_detail"),
    path("tools/<int:tool_pk>/edit/", tools.tool_edit, name="tool_edit"),
    path("tools/<int:tool_pk>/publish/", tools.tool_publish, name="tool_publish"),
    path("tools/<int:tool_pk>/new-version/", tools.tool_new_version, name="tool_new_version"),
    path("tools/<int:tool_pk>/sections/new/", tools.section_new, name="section_new"),
    path("tools/sections/<int:section_pk>/edit/", tools.section_edit, name="section_edit"),
    path("tools/sections/<int:section_pk>/remove/", tools.section_remove, name="section_remove"),
    path("tools/sections/<int:section_pk>/move/", tools.section_move, name="section_move"),
    path("tools/sections/<int:section_pk>/questions/new/", tools.question_new, name="question_new"),
    path("tools/questions/<int:question_pk>/edit/", tools.question_edit, name="question_edit"),
    path(
        "tools/questions/<int:question_pk>/remove/", tools.question_remove, name="question_remove"
    ),
    path("tools/questions/<int:question_pk>/move/", tools.question_move, name="question_move"),
]
