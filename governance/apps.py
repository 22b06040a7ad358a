from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "Reporting cycles, boards and the improvement plan"

    def ready(self) -> None:
        from governance import rules  # noqa: F401  (registers the permission rules)

        # One block per feature: navigation entries, home cards, action and reminder
        # sources, demo loaders. The "Board" group in the header lists the pages.
        #
        # The Quality Improvement Action Plan.
        #
        # Board dashboards, SPC and triangulation.
        _register_board()
        #
        # The regional view.
        _register_regional()


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
