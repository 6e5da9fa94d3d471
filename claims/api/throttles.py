"""Request rates for anonymous clients and for signed-in users (``API_ANON_RATE``, ``API_USER_RATE``).

DRF's own throttles copy the rates when their module is imported; these read them on every request, so
settings changes (and tests that override them) take effect. Counts live in the default cache: set
``REDIS_URL`` to share them between app servers.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from claims.addresses import client_ip


class _CurrentRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        # DRF's own trusts X-Forwarded-For from anyone unless NUM_PROXIES is set: rotating the header gave
        # 300 of 300 anonymous answers past the limit. The one definition of the client's address instead.
        return client_ip(request)


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    pass


class UserThrottle(_CurrentRates, UserRateThrottle):
    pass
