from django.urls import path

from governance.views import board, process_changes, regional

app_name = "governance"

# One block per feature; paths never change once published.
urlpatterns: list = [
    # The Quality Improvement Action Plan (views/plan.py).
    # Board dashboards, SPC and triangulation (views/board.py).
    path("board/", board.board_page, name="board"),
    # Before board/<slug:measure>/, which would otherwise take "process-changes".
    path("board/process-changes/", process_changes.process_change_list, name="process_changes"),
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
]
