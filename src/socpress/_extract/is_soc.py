"""Whether a page is the coalition's statement: the weights of the signals for and against,
the signals read from the outlet's voice, and the decision that weighs them.
"""

from __future__ import annotations

from collections.abc import Sequence

from socpress._blocks import Block
from socpress._extract.draft import Draft, Signal
from socpress._extract.lines import STANDFIRST_MAX, credit, evidence_for
from socpress._model import Evidence
from socpress._site import rules as R
from socpress._site.rules import OWN_SITE_CHROME
from socpress._site.urls import own_site, split_url

# How much one signal weighs for (+) or against (-) the text being the coalition's statement;
# ``weigh`` adds the strongest of each side (docs/rules.md, "is_soc").
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
    # outweighed by it (``weigh``): the blocks are kept for that.
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


def _own_site_signal(draft: Draft, url: str | None) -> Signal | None:
    """The first sign that the page is the coalition's own site: its layout, its chrome, its
    host. Each weighs the same and outweighs anything, so the first found decides."""
    if draft.layout.own_site:
        return Signal(WEIGHT_OWN_SITE, Evidence(rule="site-layout", raw=draft.layout.name))
    for removal in draft.removed:
        if removal.rule in OWN_SITE_CHROME:
            ev = Evidence(
                rule="site-chrome",
                raw=removal.text,
                spans=() if removal.span is None else (removal.span,),
                locator=removal.locator,
            )
            return Signal(WEIGHT_OWN_SITE, ev)
    parts = None if url is None else split_url(url)
    if parts is not None and own_site(parts):
        return Signal(WEIGHT_OWN_SITE, Evidence(rule="url-host", raw=parts.host))
    return None


WEIGHT_STRONGEST_VOICE = min(WEIGHT_BYLINE, WEIGHT_REPORTED)
"""The heaviest signal of an outlet's voice."""


def _weight(signal: Signal) -> int:
    return signal.weight


def weigh(draft: Draft, url: str | None) -> tuple[bool, Evidence, tuple[Evidence, ...]]:
    """The strongest signal for (the own site, a credit to the coalition, the coalition
    speaking in the opening) plus the strongest against (another body's header or sign-off,
    a byline, reported speech, a news agency's credit), weighed by the ``WEIGHT_*`` table
    above: True when the sum is above 0. Returns the answer, the deciding signal's evidence
    and the strongest on the other side's (rejected). An outlet's voice is only looked for
    where it could decide."""
    own = _own_site_signal(draft, url)
    signals = [*draft.signals] if own is None else [own, *draft.signals]
    # Strongest first; on a tie the first found wins (page order), so the answer is stable.
    pro = max((s for s in signals if s.weight > 0), key=_weight, default=None)
    if pro is not None and pro.weight + WEIGHT_STRONGEST_VOICE <= 0:
        # A signal for that an outlet's voice could outweigh: look for one. (Against the
        # own site nothing weighs enough, and without a signal for the answer is False.)
        signals.extend(outlet_voice(draft.opening))
    con = min((s for s in signals if s.weight < 0), key=_weight, default=None)
    score = (pro.weight if pro else 0) + (con.weight if con else 0)
    if score > 0:
        assert pro is not None
        return True, pro.evidence, () if con is None else (con.evidence,)
    deciding = con.evidence if con is not None else Evidence(rule="no-coalition-credit", raw="")
    return False, deciding, () if pro is None else (pro.evidence,)
