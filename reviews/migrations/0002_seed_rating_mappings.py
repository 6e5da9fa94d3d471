"""Common English rating words of PolitiFact, AFP, Full Fact, Snopes, Lead Stories and others, mapped to the house
scale for filters and counts only. Editors change them in the admin; a word with no mapping is still kept and
shown as the publisher wrote it."""

from django.db import migrations

MAPPINGS = {
    "true": ["true", "correct", "accurate", "correct attribution"],
    "mostly-true": ["mostly true", "mostly correct", "mostly accurate"],
    "half-true": ["half true", "half-true", "mixture", "mixed", "partly true", "partially true", "partly false",
                  "partially false", "partly correct"],
    "mostly-false": ["mostly false", "mostly incorrect", "mostly inaccurate"],
    "false": ["false", "pants on fire", "pants on fire!", "incorrect", "inaccurate", "fake", "wrong", "fabricated",
              "hoax", "not true", "baseless", "altered", "altered photo", "altered video", "doctored", "scam",
              "false headline", "misattributed", "four pinocchios", "debunked"],
    "misleading": ["misleading", "missing context", "lacks context", "needs context", "out of context",
                   "false context", "exaggerated", "exaggeration", "distorts the facts", "spins the facts",
                   "cherry picks", "manipulated", "manipulated media", "half truth", "three pinocchios"],
    "unsupported": ["unproven", "unsupported", "unverified", "unsubstantiated", "no evidence", "lacks evidence",
                    "research in progress", "outdated"],
}


def seed(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    RatingMapping = apps.get_model("reviews", "RatingMapping")
    ratings = {rating.slug: rating for rating in Rating.objects.all()}
    seen = set()
    for slug, words in MAPPINGS.items():
        if slug not in ratings:
            continue  # the scale was edited before this ran: the admin can map the rest
        for word in words:
            word = " ".join(word.casefold().split()).rstrip(".!…")
            if word not in seen:
                seen.add(word)
                RatingMapping.objects.get_or_create(publisher=None, words=word, defaults={"rating": ratings[slug]})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("claims", "0002_rating_scale_and_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
