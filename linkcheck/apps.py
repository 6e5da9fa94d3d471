from django.apps import AppConfig
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def loopback_fetching(app_configs, **kwargs):
    """OUTBOUND_ALLOW_LOOPBACK is for tests: in production it would let a typed URL reach this machine."""
    if getattr(settings, "OUTBOUND_ALLOW_LOOPBACK", False):
        return [checks.Warning("OUTBOUND_ALLOW_LOOPBACK is on: evidence URLs can reach services on this machine.",
                               hint="Unset it; only tests need it.", id="linkcheck.W001")]
    return []


class LinkcheckConfig(AppConfig):
    name = "linkcheck"
    verbose_name = "Link health and archived copies"

    def ready(self):
        from . import signals  # noqa: F401 - new links on a claim are checked and captured after commit
