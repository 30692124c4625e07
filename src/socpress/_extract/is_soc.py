"""Whether a page is the coalition's statement: the weights of the signals for and against,
and the signals read from the outlet's voice.
"""

from __future__ import annotations

from collections.abc import Sequence

from socpress._blocks import Block
from socpress._extract.draft import Draft, Signal
from socpress._extract.lines import STANDFIRST_MAX, credit, evidence_for
from socpress._site import rules as R

# How much one signal weighs for (+) or against (-) the text being the coalition's statement;
# ``_fields.decide_is_soc`` adds the strongest of each side (docs/rules.md, "is_soc").
WEIGHT_OWN_SITE = 10
WEIGHT_CREDIT = 4
WEIGHT_SPEAKER = 2
WEIGHT_OTHER_ISSUER = -4
WEIGHT_BYLINE = -3
WEIGHT_REPORTED = -3


_VOICE_PARAGRAPHS = 8
"""Paragraphs searched for an outlet's voice (the opening of a report is where it shows)."""


def read_voice(draft: Draft, body: list[Block], standfirst: Block | None) -> None:
    """Whether the coalition speaks in the text's opening sentence, or a standfirst-like
    credit opens it; the opening blocks are kept for ``outlet_voice``."""
    openings = [b for b in (standfirst, *body[:1]) if b is not None]
    for block in openings:
        match = R.SPEAKER.match(block.text)  # every fragment is anchored
        if match is not None:
            ev = evidence_for(block, "coalition-speaker", part=match.span())
            credit(draft, WEIGHT_SPEAKER, ev)
            break
    if body and standfirst is None:
        # A standfirst that runs on credits in its opening: search that much of it.
        found = R.STANDFIRST_CREDIT.search(body[0].text, 0, STANDFIRST_MAX)
        if found is not None:
            credit(
                draft, WEIGHT_CREDIT, evidence_for(body[0], "standfirst-credit", part=found.span())
            )
    # An outlet's voice is looked for only when a signal for the coalition could be
    # outweighed by it (``_fields.decide_is_soc``): the blocks are kept for that.
    draft.opening = body[:_VOICE_PARAGRAPHS]


def outlet_voice(blocks: Sequence[Block]) -> list[Signal]:
    """Signals that an outlet speaks, not the coalition: a byline, reported speech or a news
    agency's credit in the opening blocks of the body."""
    signals = []
    for block in blocks:
        if R.BYLINE.match(block.text):
            signals.append(Signal(WEIGHT_BYLINE, evidence_for(block, "byline")))
            break
    for block in blocks:
        match = R.reported_speech(block.text)
        if match is not None:
            ev = evidence_for(block, "reported-speech", part=match.span())
            signals.append(Signal(WEIGHT_REPORTED, ev))
            break
    return signals
