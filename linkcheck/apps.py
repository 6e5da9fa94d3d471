from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "linkcheck"
    verbose_name = "Link health and archived copies"

    def ready(self):
        from . import signals  # noqa: F401 - new links on a claim are checked and captured after commit
