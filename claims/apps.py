from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-check register"

    def ready(self):
        from . import caching

        caching.connect_signals()
