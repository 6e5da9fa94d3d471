"""/sitemap.xml: the public fact-checks and the claimant, topic and source pages that list them.

Every section reads through ``Claim.objects.public()``, so nothing unpublished is listed. Addresses use
``SITE_URL``, like the canonical links and the ClaimReview ``url``, whatever host the request came to.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims.models import Claim


class SiteURLSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class FactCheckSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Claim.objects.public().with_modified_at().order_by("-published_at", "-id")

    def lastmod(self, claim):
        return claim.modified_at or claim.published_at


class ClaimantSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Claim.objects.public().claimants().order_by("slug", "id")


class TopicSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Claim.objects.public().topics().order_by("slug", "id")


class SourceSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Claim.objects.public().sources().order_by("id")


class PageSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["public:home", "public:claims", "public:corrections", "public:methodology"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "fact-checks": FactCheckSitemap,
    "claimants": ClaimantSitemap,
    "topics": TopicSitemap,
    "sources": SourceSitemap,
}
