from django.apps import AppConfig


class SharecardsConfig(AppConfig):
    name = "sharecards"
    verbose_name = "Share cards and share links"
