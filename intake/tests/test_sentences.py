"""The splitter: boundary F1 on the CLEF debates, and offsets that round-trip on any script."""

import pytest

from intake import datasets
from intake.sentences import split


def _paragraphs():
    """Each speaker's run of consecutive lines joined by spaces: each line is one gold sentence."""
    for lines in datasets.clef2019_debates().values():
        run, speaker = [], None
        for line in lines:
            if not line.text:
                continue
            if line.speaker != speaker and run:
                yield run
                run = []
            speaker = line.speaker
            run.append(line.text)
        if run:
            yield run


def test_boundary_f1_on_the_clef_debates_is_at_least_098():
    found = expected = correct = 0
    for gold in _paragraphs():
        text = " ".join(gold)
        ends, position = set(), 0
        for sentence in gold[:-1]:
            position += len(sentence)
            ends.add(position)
            position += 1
        predicted = {s.end for s in split(text)[:-1]}
        found, expected, correct = found + len(predicted), expected + len(ends), correct + len(predicted & ends)
    precision, recall = correct / found, correct / expected
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.98, f"boundary F1 {f1:.4f} (precision {precision:.4f}, recall {recall:.4f})"


@pytest.mark.parametrize(
    "text",
    [
        "Deal reached 👍🏽 at dawn. The 👨‍👩‍👧 family flag 🇺🇦 flew! Next?",
        "قال لافروف إن روسيا مستعدة للمحادثات. وأضاف أن القمة أُلغيت.",
        "Rubio said “no.” قال لافروف: نعم. Then Kommersant ran it.",
        "Cafe\u0301 owners (Zoe\u0308 and Ana\u0303) agreed. The ma\u0300i\u0302tre d\u0301 left.",
        "Line one without a stop\r\nLine two. And three.\u2028Four\n\n  Five.  ",
    ],
)
def test_offsets_round_trip_on_unicode_text(text):
    sentences = split(text)
    assert sentences
    previous_end = 0
    for sentence in sentences:
        assert text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
    # Nothing but white space is left out.
    covered = "".join(s.text for s in sentences)
    assert "".join(text.split()) == "".join(covered.split())


def test_each_line_is_split_on_its_own():
    text = "The failed summit and Moscow's recalibration\nThe cancellation was attributed to Russia."
    assert [s.text for s in split(text)] == [
        "The failed summit and Moscow's recalibration",
        "The cancellation was attributed to Russia.",
    ]


def test_empty_and_blank_text_have_no_sentences():
    assert split("") == []
    assert split(" \n\t\u2028 ") == []
