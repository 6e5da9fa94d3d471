from django.conf import settings


def site(request):
    return {"ORGANIZATION_NAME": settings.ORGANIZATION_NAME, "SITE_URL": settings.SITE_URL}
