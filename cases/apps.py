from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Case records"

    def ready(self) -> None:
        from cases import signals  # noqa: F401  (connects the visit-date receivers)
        from core import registry
        from core.navigation import NavEntry

        for entry in (
            NavEntry("Home", "home", None, "", 0),
            NavEntry("Cases", "cases:case_list", "cases.view_case_records", "Cases", 10),
            NavEntry("Access log", "cases:access_log", "cases.view_accesslog", "Cases", 15),
        ):
            registry.navigation.register(entry)
