"""Search in the claims' own languages, on the shared files: an Arabic word is found with or without the prefixes
Arabic attaches to it, stop words and short tokens are not lost, on both databases."""

import re

import pytest

from claims import search
from claims.models import Claim

from .conftest import ARABIC, COVID, run_import

pytestmark = pytest.mark.django_db

# Words of the Arabic file's news: places, people, and words that often carry an attached prefix.
ARABIC_WORDS = ["إسرائيل", "غزة", "فلسطين", "مصر", "لبنان", "سوريا", "الحرب", "فيديو", "صورة", "ترامب", "الجيش",
                "الرئيس", "السعودية", "الاحتلال"]
PREFIXES = set(search.ARABIC_PREFIXES) | {prefix + search.TATWEEL for prefix in search.ARABIC_PREFIXES}


def holds(text, word):
    """Whether ``text`` holds ``word`` as a word of its own or behind an attached prefix (the ground truth)."""
    for token in re.findall(r"\w+", text.replace(search.TATWEEL, "")):
        if token == word or (token.endswith(word) and token[: -len(word)] in PREFIXES):
            return True
    return False


def test_a_one_word_arabic_query_finds_the_claims_holding_the_word(shared_files):
    run_import(ARABIC)
    rows = list(Claim.objects.values_list("pk", "text", "quote"))
    holding_total = found_total = 0
    for word in ARABIC_WORDS:
        holding = {pk for pk, text, quote in rows if holds(f"{text} {quote}", word)}
        found = set(Claim.objects.search(word).values_list("pk", flat=True))
        assert len(holding & found) >= 0.9 * len(holding), word
        # No stemmer's guesses ("Israeli" for "Israel"); "الرئيس" (the president) finds "رئيس" (a president) too.
        assert len(found) <= 2 * len(holding) + 5, word
        holding_total += len(holding)
        found_total += len(holding & found)
    assert holding_total > 800
    assert found_total >= 0.95 * holding_total
    # Both engines find exactly the 56 claims that hold إسرائيل, 8 of them only behind a prefix.
    israel = Claim.objects.search("إسرائيل")
    assert israel.count() == 56
    assert sum(1 for pk, text, quote in rows if "إسرائيل" not in re.findall(r"\w+", f"{text} {quote}")
               and holds(f"{text} {quote}", "إسرائيل")) == 8


@pytest.mark.parametrize("query, must_hold", [
    ("WHO", r"\bWHO\b"),
    ("masks don't work", r"(?i)\bmasks don[’']t work\b"),
    ("5G", r"(?i)\b5G\b"),
])
def test_stop_words_and_short_tokens_are_found(shared_files, query, must_hold):
    run_import(COVID)
    holding = {pk for pk, text, quote in Claim.objects.values_list("pk", "text", "quote")
               if re.search(must_hold, f"{text} {quote}")}
    found = set(Claim.objects.search(query).values_list("pk", flat=True))
    assert holding and holding <= found


def test_arabic_forms_of_a_word():
    forms = search.arabic_forms("الاحتلال")
    assert {"الاحتلال", "للاحتلال", "والاحتلال", "بالاحتلال", "احتلال"} <= set(forms)
    assert {"وإسرائيل", "لـإسرائيل", "بإسرائيل"} <= set(search.arabic_forms("إسرائيل"))


def test_the_duplicate_lookup_keeps_5g_whole(editor):
    from claims.tests.factories import new_claim

    masts = new_claim(actor=editor, text="5G masts spread the coronavirus")
    new_claim(actor=editor, text="Masts of 4 kinds spread nothing")
    assert search.stems("5G masts") >= {"5g", "masts"}
    assert [claim.pk for claim in Claim.objects.similar_to("5G spreads coronavirus")][:1] == [masts.pk]


def test_the_duplicate_lookup_finds_a_claim_in_another_language_by_its_words_as_written(editor):
    """The lookup reads the text with the English configuration; an Arabic claim's document holds Arabic stems,
    which no English lexeme matches, and its words as written (``=word`` on PostgreSQL, migration 0019)."""
    from claims.tests.factories import new_claim

    bridge = new_claim(actor=editor, text="الجيش يقصف الجسر الرئيسي في المدينة", language="ar")
    new_claim(actor=editor, text="الحكومة تعلن موازنة جديدة للعام المقبل", language="ar")
    assert [claim.pk for claim in Claim.objects.similar_to("قصف الجيش الجسر الرئيسي")][:1] == [bridge.pk]
