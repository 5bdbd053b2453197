"""Pure Vietnamese text for bantin: Unicode, legacy encodings, spoken form, lexicon and proofreading.

Nothing here reads files, opens sockets or imports Prefect; callers hand in text and bytes.
"""

from flows.text.legacy import decode_vietnamese, fix_legacy
from flows.text.lexicon import Lexicon, LexiconError
from flows.text.proofread import ProofWarning, proofread
from flows.text.spoken import FALLBACK_CODE, SpokenForm, make_spoken_form, spoken_form
from flows.text.unicode import normalize_unicode, traditional_tone_marks

__all__ = [
    "FALLBACK_CODE",
    "SpokenForm",
    "make_spoken_form",
    "Lexicon",
    "LexiconError",
    "ProofWarning",
    "decode_vietnamese",
    "fix_legacy",
    "normalize_unicode",
    "proofread",
    "spoken_form",
    "traditional_tone_marks",
]
