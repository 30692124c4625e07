"""A script-and-stopword pre-classifier, measured against langdetect-rs by ``speed.py
--compare`` (issue 12) and not used by socpress.

It decides the clear cases itself and leaves the rest to ``detect_language``:

* ``ar``: at least 90% of the letters are Arabic script, none of the letters Persian, Urdu
  or Sorani add to it (پ چ ژ گ ک ی ے ڈ ٹ ڑ ں ۀ ێ ۆ ڕ ڵ ە ڤ);
* ``en``: every letter ASCII, and at least 3 distinct English function words making at
  least 15% of the words;
* ``tr``: a dotless ı, ğ or ş, no ê/î/û, and at least 3 Turkish function words.

Its evidence rule would be ``script-stopwords``. Where it decides, it can disagree with
langdetect (the reference), and ``speed.py --compare`` counts how often.
"""

from __future__ import annotations

import re

from socpress._extract.language import LanguageGuess, _sample, detect_language

_NOT_ARABIC = frozenset("پچژگکیےڈٹڑںۀێۆڕڵەڤ")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")
_WORD = re.compile(r"[^\W\d_]+")
# fmt: off
_EN_WORDS = frozenset({
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "by", "as", "was",
    "said", "its", "from", "it", "at", "be", "has", "have", "which", "this", "are", "were", "an",
})
_TR_WORDS = frozenset({
    "ve", "bir", "için", "olan", "ile", "bu", "olarak", "ise", "gibi", "daha", "çok", "da",
    "de", "ki", "göre", "sonra", "kadar", "tarafından", "etti", "olduğu", "şu",
})
# fmt: on
_TR_LETTERS = frozenset("ıİğĞşŞ")
_KU_LETTERS = frozenset("êîûÊÎÛ")
_MIN_LETTERS = 20


def _decide(sample: str) -> str | None:
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < _MIN_LETTERS:
        return None
    arabic = len(_ARABIC.findall(sample))
    if arabic >= 0.9 * len(letters):
        return None if any(ch in _NOT_ARABIC for ch in sample) else "ar"
    words = [w.lower() for w in _WORD.findall(sample)]
    if sample.isascii():
        found = [w for w in words if w in _EN_WORDS]
        if len(set(found)) >= 3 and len(found) >= 0.15 * len(words):
            return "en"
        return None
    turkish_letters = any(ch in _TR_LETTERS for ch in sample)
    kurmanji_letters = any(ch in _KU_LETTERS for ch in sample)
    if turkish_letters and not kurmanji_letters and sum(w in _TR_WORDS for w in words) >= 3:
        return "tr"
    return None


def detect_language_preclassified(text: str) -> LanguageGuess:
    sample = _sample(text)
    code = _decide(sample)
    if code is None:
        return detect_language(text)
    return LanguageGuess(code=code, rule="script-stopwords", raw=sample)
