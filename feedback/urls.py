from django.urls import path

from feedback.views import complaints, disputes, evaluations, questionnaires, staff_voice, voices

app_name = "feedback"

# One block per kind of record; paths never change once published.
urlpatterns = [
    # Feedback, themes and "you said, we did" (views/voices.py).
    path("feedback/", voices.feedback_list, name="feedback_list"),
    path("feedback/new/", voices.feedback_new, name="feedback_new"),
    path("feedback/figures/", voices.feedback_figures, name="feedback_figures"),
    path("feedback/<int:feedback_pk>/", voices.feedback_detail, name="feedback_detail"),
    path("feedback/<int:feedback_pk>/respond/", voices.feedback_respond, name="feedback_respond"),
    path("feedback/<int:feedback_pk>/themes/", voices.feedback_themes, name="feedback_themes"),
    path("feedback/ask/<int:case_pk>/", voices.feedback_ask, name="feedback_ask"),
    path("feedback/links/<int:link_pk>/withdraw/", voices.link_withdraw, name="link_withdraw"),
    path("feedback/themes/", voices.theme_list, name="theme_list"),
    path("feedback/themes/<int:feedback_theme_pk>/", voices.theme_edit, name="theme_edit"),
    path("feedback/you-said-we-did/", voices.you_said_list, name="you_said_list"),
    path("feedback/you-said-we-did/new/", voices.you_said_new, name="you_said_new"),
    path(
        "feedback/you-said-we-did/<int:you_said_pk>/",
        voices.you_said_detail,
        name="you_said_detail",
    ),
    path(
        "feedback/you-said-we-did/<int:you_said_pk>/publish/",
        voices.you_said_publish,
        name="you_said_publish",
    ),
    # The page for families, open without an account.
    path(
        "you-said-we-did/<slug:organisation_slug>/",
        voices.you_said_public,
        name="you_said_public",
    ),
    # Questionnaires raised by journey events (views/questionnaires.py).
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/scores/", questionnaires.scores, name="questionnaire_scores"),
    path(
        "questionnaires/<int:questionnaire_pk>/",
        questionnaires.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/links/",
        questionnaires.link_new,
        name="questionnaire_link_new",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/links/withdraw/",
        questionnaires.link_withdraw,
        name="questionnaire_link_withdraw",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/answers/",
        questionnaires.paper_answers,
        name="questionnaire_paper",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/close/",
        questionnaires.close,
        name="questionnaire_close",
    ),
    # Complaints and compliments (views/complaints.py).
    path("complaints/", complaints.complaint_list, name="complaint_list"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/figures/", complaints.complaint_figures, name="complaint_figures"),
    path("complaints/<int:complaint_pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("complaints/<int:complaint_pk>/respond/", complaints.respond, name="complaint_respond"),
    path("complaints/<int:complaint_pk>/extend/", complaints.extend, name="complaint_extend"),
    path("complaints/<int:complaint_pk>/escalate/", complaints.escalate, name="complaint_escalate"),
    path("complaints/<int:complaint_pk>/close/", complaints.close, name="complaint_close"),
    path("complaints/<int:complaint_pk>/learning/", complaints.learning, name="complaint_learning"),
    path(
        "complaints/<int:complaint_pk>/points/new/",
        complaints.point_new,
        name="complaint_point_new",
    ),
    path(
        "complaints/<int:complaint_pk>/actions/new/",
        complaints.action_new,
        name="complaint_action_new",
    ),
    path(
        "complaints/actions/<int:complaint_action_pk>/done/",
        complaints.action_done,
        name="complaint_action_done",
    ),
    path("compliments/", complaints.compliment_list, name="compliment_list"),
    path("compliments/new/", complaints.compliment_new, name="compliment_new"),
    path(
        "compliments/<int:compliment_pk>/", complaints.compliment_detail, name="compliment_detail"
    ),
    # Adoption panel evaluations (views/evaluations.py).
    path("panel-evaluations/", evaluations.panel_meeting_list, name="panel_meeting_list"),
    path("panel-evaluations/summaries/", evaluations.panel_summaries, name="panel_summaries"),
    path(
        "panel-evaluations/summaries/items/",
        evaluations.panel_summary_items,
        name="panel_summary_items",
    ),
    path(
        "panel-evaluations/meetings/new/",
        evaluations.panel_meeting_new,
        name="panel_meeting_new",
    ),
    path(
        "panel-evaluations/meetings/<int:panel_meeting_pk>/items/new/",
        evaluations.panel_item_new,
        name="panel_item_new",
    ),
    path(
        "panel-evaluations/meetings/<int:panel_meeting_pk>/",
        evaluations.panel_meeting_detail,
        name="panel_meeting_detail",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/",
        evaluations.panel_item_feedback,
        name="panel_item_feedback",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/evaluate/",
        evaluations.panel_item_evaluate,
        name="panel_item_evaluate",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/collate/",
        evaluations.panel_item_collate,
        name="panel_item_collate",
    ),
    # Dispute resolution (views/disputes.py).
    path("challenges/", disputes.challenge_list, name="challenge_list"),
    path("challenges/figures/", disputes.dispute_figures, name="dispute_figures"),
    path("challenges/timescales/", disputes.dispute_timescales, name="dispute_timescales"),
    path("challenges/new/<int:challenge_case_pk>/", disputes.challenge_new, name="challenge_new"),
    path("challenges/<int:challenge_pk>/", disputes.challenge_detail, name="challenge_detail"),
    path(
        "challenges/<int:challenge_pk>/respond/",
        disputes.challenge_respond,
        name="challenge_respond",
    ),
    path(
        "challenges/<int:challenge_pk>/escalate/",
        disputes.challenge_escalate,
        name="challenge_escalate",
    ),
    path(
        "challenges/<int:challenge_pk>/close/",
        disputes.challenge_resolve,
        name="challenge_resolve",
    ),
    path(
        "challenges/actions/<int:challenge_action_pk>/done/",
        disputes.challenge_action_complete,
        name="challenge_action_complete",
    ),
    # Staff surveys and health checks (views/staff_voice.py).
    path("staff-voice/", staff_voice.survey_list, name="survey_list"),
    path("staff-voice/import/", staff_voice.survey_import, name="survey_import"),
    path("staff-voice/<int:survey_pk>/", staff_voice.survey_results, name="survey_results"),
]
