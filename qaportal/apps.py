from django.apps import AppConfig


class QaportalConfig(AppConfig):
    name = "qaportal"
    verbose_name = "qaportal shell"
