from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "Reporting cycles, boards and the improvement plan"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from governance import (
            demo_plan,
            reminders_plan,
            rules,  # noqa: F401  (registers the permission rules)
        )

        # One block per feature: navigation entries, home cards, action and reminder
        # sources, demo loaders. The "Board" group in the header lists the pages.
        #
        # The Quality Improvement Action Plan.
        for label, url_name, order in (
            ("Improvement plan", "governance:plan", 81),
            ("Plan actions", "governance:action_list", 82),
            ("External reviews", "governance:review_list", 83),
        ):
            registry.navigation.register(
                NavEntry(label, url_name, "governance.view_plan", group="Board", order=order)
            )
        for source in reminders_plan.SOURCES:
            registry.reminder_sources.register(source)
        registry.demo_loaders.register(demo_plan.load)
        #
        # Board dashboards, SPC and triangulation.
        _register_board()
        #
        # The regional view.
        _register_regional()
        #
        # Performance Exceptions returns.
        _register_returns()
        #
        # Boards and meetings; learning briefs (before the reports: the demo's reports are
        # published to the demo's boards).
        _register_boards()
        #
        # Scheduled reports.
        _register_reports()
        # The Performance and Outcomes cascade above the service.
        _register_cascade()


def _register_board() -> None:
    """The board's navigation entry (board dashboards, SPC and triangulation)."""
    from core.navigation import NavEntry
    from core.registry import navigation

    navigation.register(
        NavEntry("Board", "governance:board", "governance.view_board", group="Board", order=10)
    )


def _register_regional() -> None:
    """The regional view's navigation entry (partner councils side by side)."""
    from core.navigation import NavEntry
    from core.registry import navigation

    navigation.register(
        NavEntry(
            "Regional view",
            "governance:regional",
            "governance.view_regional",
            group="Board",
            order=90,
        )
    )


def _register_returns() -> None:
    """Performance Exceptions returns: navigation, reminders and the demo (after the
    plan's)."""
    from core import registry
    from core.navigation import NavEntry
    from governance import demo_returns, reminders_returns

    registry.navigation.register(
        NavEntry(
            "Exceptions returns",
            "governance:return_list",
            "governance.view_returns",
            group="Board",
            # After the plan's pages: the Board group opens on the board, else the plan.
            order=84,
        )
    )
    for source in reminders_returns.SOURCES:
        registry.reminder_sources.register(source)
    registry.demo_loaders.register(demo_returns.load)


def _register_reports() -> None:
    """Scheduled reports: navigation (for every reader: QA and senior leaders, and board
    members, who read what is published to their boards) and the demo's reports."""
    from core import registry
    from core.navigation import NavEntry
    from governance import demo_reports

    registry.navigation.register(
        NavEntry(
            "Reports", "governance:report_list", "governance.view_reports", group="Board", order=85
        )
    )
    registry.demo_loaders.register(demo_reports.load)


def _register_boards() -> None:
    """Boards and meetings, and learning briefs: navigation, the meeting reminders and
    the demo (after the plan's: its decisions become plan actions)."""
    from core import registry
    from core.navigation import NavEntry
    from governance import boards, demo_boards

    registry.navigation.register(
        NavEntry(
            "Boards and meetings",
            "governance:board_list",
            "governance.view_boards",
            group="Board",
            order=86,
        )
    )
    registry.navigation.register(
        NavEntry(
            "Learning briefs",
            "governance:brief_list",
            "governance.view_briefs",
            group="Board",
            order=87,
        )
    )
    for source in boards.SOURCES:
        registry.reminder_sources.register(source)
    registry.demo_loaders.register(demo_boards.load)


def _register_cascade() -> None:
    """The cascade above the service: its reminders and escalations, and the actions
    raised on returns and summaries as a source of the improvement plan."""
    from core import registry
    from governance import cascade, reminders_cascade

    for source in reminders_cascade.SOURCES:
        registry.reminder_sources.register(source)
    registry.improvement_sources.register(cascade.improvement_items)
