"""What the check-worthiness model sees in a sentence. Training (scikit-learn) and scoring (NumPy) both call
these functions, so that the shipped weights mean the same thing in both."""

import itertools
import re

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d[\d,.]*|[$€£¥%]")
_YEAR = re.compile(r"(1[89]|20)\d\d")
# Reporting words are one feature: each alone is too rare in the debates to learn from ("reportedly" came out
# as a mark against), while together they are what makes a sentence an attribution, checkable as such.
_ATTRIBUTION = frozenset(
    "said says say told according reportedly reported reports claimed claims alleged allegedly announced "
    "confirmed denied insisted admitted revealed stated".split()
)


def word_tokens(text):
    """Lower-cased words; every number becomes ``<num>`` (and ``<year>`` for a likely year too)."""
    tokens = []
    for token in _WORD.findall(text.lower().replace("’", "'")):
        if token[0].isdigit():
            tokens.append("<num>")
            if _YEAR.fullmatch(token.rstrip(".,")):
                tokens.append("<year>")
        else:
            tokens.append("<attribution>" if token in _ATTRIBUTION else token)
    return tokens


def word_ngrams(text):
    tokens = word_tokens(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_ngrams(text):
    """Character 2- to 5-grams inside each word padded with spaces (scikit-learn's ``char_wb``)."""
    grams = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(2, 6):
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


_HAND = {
    "number": re.compile(r"\d"),
    "money": re.compile(r"[$€£¥]|\b(dollars?|euros?|pounds?|roubles?|rubles?|billion|million|trillion|bn)\b", re.I),
    "percentage": re.compile(r"%|\bper ?cent\b", re.I),
    "year": re.compile(r"\b(1[89]|20)\d\d\b"),
    "attribution": re.compile(
        r"\b(said|says|told|according to|reportedly|reported|claimed|announced|confirmed|denied|insiders|sources)\b",
        re.I,
    ),
    "question": re.compile(r"\?\W*$"),
    "first_or_second_person": re.compile(r"\b(I|we|you)\b"),
}
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")
# A reported event is told in the past tense ("was absent", "met", "announced"); analysis and opinion mostly in
# the present ("illustrates", "reflects"). Common irregular pasts, and lower-case words in -ed (not -eed:
# "need", "indeed"; capitalised ones are names: "United", "Ahmed").
_PAST = re.compile(
    r"\b(?:(?i:was|were|had|did|said|told|met|went|came|took|made|gave|left|won|lost|held|sent|saw|became|began|"
    r"fell|rose|ran|paid|spent|sold|bought|brought|kept|built|wrote|spoke|chose|knew|thought|found|got|led|meant)"
    r"|(?!hundred\b)[a-z]{2,}[a-df-z]ed)\b"
)
HAND_FEATURES = [*_HAND, "capitalised_names", "length", "past_tense"]


def hand_features(text):
    """Numbers, money, percentages, years, attribution, capitalised names (beyond the first word), length,
    past tense."""
    values = [1.0 if pattern.search(text) else 0.0 for pattern in _HAND.values()]
    values.append(min(len(_NAME.findall(text)), 5) / 5)
    values.append(min(len(text.split()), 40) / 40)
    values.append(1.0 if _PAST.search(text) else 0.0)
    return values
