"""Demo data: the checkable claims in the project's two seed articles.

Pure Python data (no Django imports), loaded by whatever seeds the database.
The seed articles live outside the repository (``shared/seeds/`` beside the
repo root); see that folder's README.md.

Honesty rules, from the seeds README, which this data keeps:

* Store short quotes, not the articles. Each claim carries one verbatim quote
  of a sentence or two, copied character for character from its seed file
  (curly quotes, apostrophes and em dashes included, straight ones where the
  file has straight ones). ``claims/tests/test_demo_data.py`` proves every
  quote occurs exactly once in its seed text. No quote comes from the
  commentary's paywall leftovers or from the blog post's stray last-line
  caption.
* Invent nothing. There are no evidence URLs anywhere in this file, no
  publication dates and no outlets: neither text states them, so
  ``published_on`` is None and ``outlet`` is "". The blog post names no
  author, so its author is "" and its claims are credited to an "unnamed"
  claimant. ``same_as`` is set only for well-known public figures and
  organisations, as an English Wikipedia URL.
* Publish a verdict only where it follows from the article itself. The few
  published claims are statements the blog post makes with no sourcing at
  all; they are rated "unsupported" for exactly that reason, and their
  evidence is a note (no URL) describing what the article shows. Everything
  else enters the workflow as "new" or "researching". No commentary claim is
  published: that piece says its source links exist but sit behind a
  newsletter sign-up, so the absence of sources in our copy proves nothing.
* "claimant" is who makes the claim in the text: the article's author when
  the author asserts it, or the person, organisation or unnamed sources the
  article attributes it to.
"""

SOURCES = [
    {
        "key": "petersen",
        "seed_file": "000_28b78989d52f7a1d.txt",
        # The text carries no headline; this title is derived from its opening.
        "title": "Commentary: Moscow's openness to talks with Rubio after the cancelled Trump-Putin summit",
        "outlet": "",
        "author": "Viktor Petersen",
        "published_on": None,
        "language": "en",
        "url": "",
    },
    {
        "key": "last-tango",
        "seed_file": "002_752cecc28de2114b.txt",
        # The post's first line, without its closing full stop.
        "title": "Lavrov’s last tango: Putin’s summit failure and the Foreign Ministry's meltdown",
        "outlet": "",
        "author": "",
        "published_on": None,
        "language": "en",
        "url": "",
    },
]

CLAIMANTS = [
    {
        "slug": "viktor-petersen",
        "name": "Viktor Petersen",
        "kind": "person",
        "description": "Author credited with the commentary on Moscow's openness to talks with Rubio",
        "same_as": "",
    },
    {
        "slug": "last-tango-author",
        "name": "Unnamed author of “Lavrov’s last tango”",
        "kind": "unnamed",
        "description": "The blog post names no author",
        "same_as": "",
    },
    {
        "slug": "unnamed-sources",
        "name": "Unnamed sources",
        "kind": "unnamed",
        "description": "Sources, insiders or reports an article cites without naming them",
        "same_as": "",
    },
    {
        "slug": "sergey-lavrov",
        "name": "Sergey Lavrov",
        "kind": "person",
        "description": "Russian Foreign Minister",
        "same_as": "https://en.wikipedia.org/wiki/Sergey_Lavrov",
    },
    {
        "slug": "russian-foreign-ministry",
        "name": "Russian Foreign Ministry",
        "kind": "organization",
        "description": "Ministry of Foreign Affairs of the Russian Federation",
        "same_as": "https://en.wikipedia.org/wiki/Ministry_of_Foreign_Affairs_(Russia)",
    },
]

TOPICS = [
    {"slug": "frozen-assets", "name": "Frozen Russian assets"},
    {"slug": "trump-putin-summit", "name": "Trump-Putin summit"},
    {"slug": "russia-us-diplomacy", "name": "Russia-US diplomacy"},
    {"slug": "kremlin-politics", "name": "Kremlin politics"},
    {"slug": "sanctions", "name": "Sanctions and Russia's economy"},
    {"slug": "war-in-ukraine", "name": "War in Ukraine"},
]

_NO_SOURCE_SUMMARY = (
    "The post offers no source or evidence for this claim, and we found none presented in it."
)

CLAIMS = [
    # --- "Lavrov's last tango" (blog post) ---------------------------------
    {
        "key": "budapest-summit-cancelled",
        "text": "The planned Putin-Trump summit in Budapest has been called off",
        "quote": (
            "The Putin-Trump Budapest summit is toast, and guess who’s holding the flaming bag "
            "of diplomatic failure? None other than the seemingly immortal, eternally grim Sergey Lavrov."
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["trump-putin-summit"],
        "stage": "new",
    },
    {
        "key": "lavrov-wrecked-rubio-call",
        "text": "Lavrov came unprepared to the pre-summit Rubio call and refused to negotiate",
        "quote": (
            "Sources from all over—and I mean all over, even some who usually sip tea with the "
            "Foreign Ministry hacks—are saying the same thing: Lavrov came to the pre-summit call "
            "with U.S. Secretary of State Marco Rubio completely unprepared and refused to negotiate."
        ),
        "source": "last-tango",
        "claimant": "unnamed-sources",
        "topics": ["trump-putin-summit", "russia-us-diplomacy"],
        "stage": "researching",
    },
    {
        "key": "rubio-forget-it",
        "text": "After the call, Rubio told Trump: “Forget it. They don’t want a deal.”",
        "quote": (
            "The result? Rubio hung up and told Trump: “Forget it. They don’t want a deal. "
            "They just want a surrender.”"
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["trump-putin-summit", "russia-us-diplomacy"],
        "stage": "published",
        "rating": "unsupported",
        "summary": (
            "The post quotes Rubio's words to Trump but does not say who heard them or where they "
            "were reported. It offers no source or evidence, and we found none presented in it."
        ),
        "analysis": (
            "The post presents this as a direct quote from a private exchange between the "
            "Secretary of State and the President. It does not attribute the quote to anyone: "
            'not to Rubio, not to the White House, and not even to the unnamed "sources from all '
            'over" it cites in an earlier paragraph about the call itself. With no account of '
            "how the words became known, **the quote is unsupported as published**. This rating "
            "is about the post's support for the quote; it would change if a verifiable record "
            "of the remark were found."
        ),
        "evidence_note": (
            "The article itself: the quote appears in the author's own narration, introduced by "
            '"The result?", with no attribution, named source, link or document.'
        ),
    },
    {
        "key": "kommersant-blames-rubio",
        "text": "The Foreign Ministry blamed Rubio for the summit's collapse via Kommersant",
        "quote": (
            "The Russian Foreign Ministry is running around like headless chickens, trying to tell "
            "everyone through their tame newspaper, Kommersant, that it was all Rubio's fault."
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["trump-putin-summit", "russia-us-diplomacy"],
        "stage": "researching",
    },
    {
        "key": "foreign-ministry-alaska-agreements",
        "text": "The Foreign Ministry said it followed agreements from the Alaska summit",
        "quote": "“We were just following old agreements from the Alaska summit!” they whine.",
        "source": "last-tango",
        "claimant": "russian-foreign-ministry",
        "topics": ["trump-putin-summit", "russia-us-diplomacy"],
        "stage": "new",
    },
    {
        "key": "foreign-ministry-non-paper",
        "text": "The Foreign Ministry said it had sent the US side a “non-paper”",
        "quote": "“We sent a ‘non-paper’ that was totally fine!”",
        "source": "last-tango",
        "claimant": "russian-foreign-ministry",
        "topics": ["trump-putin-summit", "russia-us-diplomacy"],
        "stage": "new",
    },
    {
        "key": "lavrov-depressed",
        "text": "Lavrov is reportedly “depressed” after the summit's failure",
        "quote": (
            "Lavrov, Putin’s supposedly unflappable, iron-willed Foreign Minister, is now "
            'reportedly "depressed" and the center of some serious Kremlin intrigue.'
        ),
        "source": "last-tango",
        "claimant": "unnamed-sources",
        "topics": ["kremlin-politics"],
        "stage": "published",
        "rating": "unsupported",
        "summary": (
            'The post says Lavrov is "reportedly" depressed but names no report or person '
            "behind it. " + _NO_SOURCE_SUMMARY
        ),
        "analysis": (
            "A claim about a named person's state of mind needs a source who could know it. "
            'The post offers only the word "reportedly": it does not say who reported this, '
            "where, or on what basis. **As published, the claim is unsupported.** We make no "
            "finding about Lavrov's actual state of mind."
        ),
        "evidence_note": (
            'The article itself: the sentence rests on "reportedly" alone; the post names no '
            "outlet, person or document for it and gives no link."
        ),
    },
    {
        "key": "putin-livid",
        "text": "Putin was livid about the failed summit",
        "quote": "Word is, Putin was absolutely livid.",
        "source": "last-tango",
        "claimant": "unnamed-sources",
        "topics": ["kremlin-politics", "trump-putin-summit"],
        "stage": "new",
    },
    {
        "key": "insiders-whispered-sabotage",
        "text": "Insiders in Putin's circle whispered “sabotage” against Lavrov",
        "quote": (
            'Some in the inner circle were apparently even whispering the word "sabotage" '
            "against Lavrov for derailing this critical summit."
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["kremlin-politics", "trump-putin-summit"],
        "stage": "published",
        "rating": "unsupported",
        "summary": (
            'The post says unnamed members of the inner circle were "apparently" whispering '
            '"sabotage". ' + _NO_SOURCE_SUMMARY
        ),
        "analysis": (
            "The claim reports private remarks by unidentified people inside the Kremlin. The "
            'post hedges it with "apparently" and does not say how the author learned of the '
            "remarks or who passed them on. **As published, it is unsupported.** The rating "
            "concerns the post's evidence, not what was or was not said in the Kremlin."
        ),
        "evidence_note": (
            'The article itself: the speakers are unidentified ("some in the inner circle"), '
            'the claim is hedged with "apparently", and the post cites no source, link or '
            "document for it."
        ),
    },
    {
        "key": "dmitriev-flew-to-washington",
        "text": "Kirill Dmitriev flew privately to Washington for damage control",
        "quote": (
            "Dmitriev, a man whose entire job is to be the friendly, Western-educated face who "
            "keeps the dialogue alive, flew privately to Washington in a frantic act of damage control."
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["russia-us-diplomacy", "kremlin-politics"],
        "stage": "researching",
    },
    {
        "key": "ft-article-commissioned-by-rivals",
        "text": "An FT article on the affair was “likely commissioned” by Lavrov's rivals",
        "quote": (
            "And to top off the humiliation, a Financial Times article detailed the mess was "
            "likely commissioned by his rivals."
        ),
        "source": "last-tango",
        "claimant": "last-tango-author",
        "topics": ["kremlin-politics"],
        "stage": "published",
        "rating": "unsupported",
        "summary": (
            "The post asserts that rivals of Lavrov likely commissioned a Financial Times article "
            "but does not identify the article, the rivals or any sign of commissioning. "
            + _NO_SOURCE_SUMMARY
        ),
        "analysis": (
            "The post does not name or link the Financial Times article, does not say who the "
            '"rivals" are, and gives no evidence that anyone commissioned the article. It '
            'follows the claim with a generalisation ("a classic Kremlin power play") rather '
            "than support. **As published, the claim is unsupported.** This rating does not "
            "assess the Financial Times article itself."
        ),
        "evidence_note": (
            "The article itself: it gives no title, date or link for the Financial Times "
            'article, names none of the "rivals", and offers no source for the claim that it '
            "was commissioned."
        ),
    },
    # --- Viktor Petersen's commentary --------------------------------------
    {
        "key": "frozen-assets-210bn",
        "text": "About €210bn of Russian central-bank reserves are frozen, mostly at Euroclear",
        "quote": (
            "The approximately €210 billion in Russian central bank reserves frozen by Western "
            "sanctions represents the most significant economic weapon deployed against Moscow. "
            "These assets sit primarily in European financial institutions, particularly through "
            "Belgium's Euroclear system, creating what should theoretically be enormous leverage."
        ),
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["frozen-assets", "sanctions"],
        "stage": "researching",
    },
    {
        "key": "lavrov-security-council-absence",
        "text": "Lavrov was absent from a Security Council meeting",
        "quote": "Yes, Lavrov was reportedly absent from a Security Council meeting.",
        "source": "petersen",
        "claimant": "unnamed-sources",
        "topics": ["kremlin-politics"],
        "stage": "new",
    },
    {
        "key": "kremlin-denied-discord",
        "text": "The Kremlin denied reports of discord over Lavrov",
        "quote": "And yes, the Kremlin felt compelled to deny reports of discord.",
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["kremlin-politics"],
        "stage": "researching",
    },
    {
        "key": "lavrov-no-legal-way",
        "text": "There is “no legal way” to seize frozen Russian assets; Russia would retaliate",
        "quote": (
            'His assertion that there is "no legal way" to seize these assets and that Russia '
            "would retaliate demonstrates the limits of economic coercion as a policy tool."
        ),
        "source": "petersen",
        "claimant": "sergey-lavrov",
        "topics": ["frozen-assets", "sanctions"],
        "stage": "new",
    },
    {
        "key": "lavrov-willing-to-meet-rubio",
        "text": "After the summit's cancellation, Lavrov said he was willing to meet Rubio",
        "quote": (
            "The international relations commentariat has worked itself into a familiar frenzy "
            "over Russian Foreign Minister Sergei Lavrov's expressed willingness to meet with "
            "U.S. Senator Marco Rubio, now Secretary of State."
        ),
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["russia-us-diplomacy", "trump-putin-summit"],
        "stage": "researching",
    },
    {
        "key": "summit-cancelled-inflexible-demands",
        "text": "The summit was cancelled over Russia's “inflexible negotiating demands”",
        "quote": (
            "The cancellation of the Trump-Putin summit was attributed to Russia's \"inflexible "
            'negotiating demands" and refusal to accept a ceasefire that would freeze lines of '
            "contact without addressing Moscow's territorial ambitions."
        ),
        "source": "petersen",
        "claimant": "unnamed-sources",
        "topics": ["trump-putin-summit", "war-in-ukraine"],
        "stage": "new",
    },
    {
        "key": "trade-reoriented-china-india",
        "text": "Russian trade has shifted toward China, India and other non-Western economies",
        "quote": (
            "Alternative payment systems have been developed. Trade has been reoriented toward "
            "China, India, and other non-Western economies."
        ),
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["sanctions"],
        "stage": "new",
    },
    {
        "key": "war-casualties-hundreds-of-thousands",
        "text": "Russia's costs in Ukraine include hundreds of thousands of casualties",
        "quote": (
            "The costs have been substantial, from sanctions and economic isolation to hundreds "
            "of thousands of casualties."
        ),
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["war-in-ukraine"],
        "stage": "new",
    },
    {
        "key": "nato-expanded",
        "text": "NATO has expanded rather than contracted",
        "quote": (
            "Not in the sense of achieving immediate strategic objectives—the war in Ukraine "
            "continues, Western sanctions remain in place, NATO has expanded rather than contracted."
        ),
        "source": "petersen",
        "claimant": "viktor-petersen",
        "topics": ["war-in-ukraine"],
        "stage": "new",
    },
]
