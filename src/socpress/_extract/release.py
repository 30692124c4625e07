"""Press-release headers, glued headers, inner headers and sign-off blocks, in every edition."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import attrs

from socpress._blocks import TATWEEL, Block, normalize
from socpress._extract.draft import Draft, Found
from socpress._extract.heads import HEADER_LINE_MAX
from socpress._extract.is_soc import WEIGHT_CREDIT, WEIGHT_OTHER_ISSUER
from socpress._extract.lines import (
    SOURCE_ALONE,
    STANDFIRST_MAX,
    add,
    credit,
    date_line,
    evidence_for,
    kind_line,
    remove,
)
from socpress._model import Evidence, Release
from socpress._site import rules as R
from socpress._site.dates import find_dates


def read_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """A header block (kind, issuer, department or place, date) at the top of the body; or
    the kind line alone, when issuer and date come in a sign-off at the end or not at all."""
    if i >= len(blocks):
        return i
    first = blocks[i]
    kind_note = kind_line(first.content)
    if kind_note is None:
        if R.RELEASE_KINDS.match(first.content.replace(TATWEEL, "")) is not None:
            return _read_glued_release(draft, blocks, i)
        return i
    kind = kind_note[0]
    lines: list[Block] = []
    dated: datetime.date | None = None
    for block in blocks[i + 1 : i + 5]:
        when = date_line(block)
        if when is not None:
            dated = when
            lines.append(block)
            break
        if len(block.content) > HEADER_LINE_MAX:
            break
        lines.append(block)
    if dated is None:
        # The kind line alone, then the body: a header without issuer and date.
        if i + 1 < len(blocks) and len(blocks[i + 1].content) > HEADER_LINE_MAX:
            ev = evidence_for(first, "press-header-kind")
            add(draft.release, draft, Release(kind=kind), ev, first)
            return i + 1
        return i
    middle = [b.content for b in lines[:-1]]
    issuer, department = _split_issuer(middle)
    release = Release(kind=kind, issuer=issuer, department=department, dated=dated)
    header = [first, *lines]
    ev = Evidence(
        rule="press-header",
        raw="\n".join(b.text for b in header),
        spans=() if first.locator is not None else tuple(b.span for b in header),
        locator=first.locator,
    )
    add(draft.release, draft, release, ev, first)
    for block in lines:
        draft.claimed.add(block.index)
    _issuer_signal(draft, issuer, lines, "press-header-issuer")
    return i + 1 + len(lines)


_INNER_HEADER_BLOCKS = 3
"""How deep in the body a press header may stand below an introduction on its own evidence."""
_INTRO_MAX_BLOCKS = 8
"""How many blocks of a republisher's introduction a quoted release may stand below, when the
introduction is read as one (``_is_introduction``)."""


def read_inner_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """A complete press header (kind line, issuer, date) a few blocks into the body, below a
    republisher's introduction: read as the header, and taken out of the body's blocks. A
    single short introduction above it (``The Coalition issued the following press release:``)
    is the republisher's standfirst, not the statement: it becomes the summary (rule
    ``release-intro``). An introduction of several blocks (up to ``_INTRO_MAX_BLOCKS``) is
    the republisher's too when ``_is_introduction`` says so: its first block becomes the
    summary and the others are removed (rule ``release-intro``). Without that evidence a
    header more than ``_INNER_HEADER_BLOCKS`` down is no header, and the introduction above
    a shallower one stays in the body. Returns where the body starts."""
    for j in range(i + 1, min(len(blocks), i + 1 + _INTRO_MAX_BLOCKS)):
        kind = kind_line(blocks[j].content)
        if kind is None or kind[1]:
            continue
        intro = blocks[i:j]
        removable = False
        if len(intro) > 1:
            trial = Draft(layout=draft.layout)  # weighed first: read_release adds signals
            end = read_release(trial, blocks, j)
            removable = end > j + 1 and _is_introduction(trial, intro, blocks[end:])
            if not removable and len(intro) > _INNER_HEADER_BLOCKS:
                return i
        end = read_release(draft, blocks, j)
        if draft.release and end > j + 1:
            del blocks[j:end]
            first = blocks[i]
            if (
                (len(intro) == 1 or removable)
                and not draft.summary
                and (len(first.content) <= STANDFIRST_MAX)
            ):
                ev = evidence_for(first, "release-intro")
                add(draft.summary, draft, first.content, ev, first)
                for block in intro[1:]:
                    remove(draft, block, "release-intro")
                return j
            return i
        draft.release.clear()
        return i
    return i


def _is_introduction(trial: Draft, intro: Sequence[Block], release: Sequence[Block]) -> bool:
    """Whether the blocks above a complete press header are a republisher's introduction to
    it: the header names the coalition as its issuer, each block is standfirst-sized, and the
    release below is the longer text (an article that quotes a short release near its end
    keeps its own body)."""
    issuer = trial.release[0].value.issuer if trial.release else None
    if issuer is None or R.COALITION.search(issuer) is None:
        return False
    if any(len(b.content) > STANDFIRST_MAX for b in intro):
        return False
    return sum(len(b.content) for b in intro) < sum(len(b.content) for b in release)


def _issuer_signal(draft: Draft, issuer: str | None, lines: Sequence[Block], rule: str) -> None:
    """A header or sign-off naming the coalition counts for it; naming another body, against.
    The evidence points at the issuer's own line."""
    if issuer is None:
        return
    line = next(b for b in lines if b.content == issuer)
    at = evidence_for(line, rule)
    if R.COALITION.search(issuer):
        credit(draft, WEIGHT_CREDIT, at)
    else:
        credit(draft, WEIGHT_OTHER_ISSUER, attrs.evolve(at, rule="other-issuer"))


def read_sign_off(draft: Draft, body: list[Block]) -> list[Block]:
    """A closing sign-off (issuer, office, date on lines of their own) naming the coalition:
    removed from the body with rule ``sign-off``; it completes the press header. A source
    line on its own after the sign-off stays for the attribution."""
    if body and any(p.fullmatch(body[-1].content) for p in SOURCE_ALONE):
        return [*read_sign_off(draft, body[:-1]), body[-1]]
    # Short lines only, the last a date: measured cheaply before any date is parsed.
    if len(body) < 3 or len(body[-1].content) > HEADER_LINE_MAX:
        return body
    dated = date_line(body[-1])
    if dated is None:
        return body
    for size in range(2, min(R.SIGN_OFF_LINES, len(body) - 1) + 1):
        block = body[-size:]
        line = block[0]
        if len(line.content) > HEADER_LINE_MAX or date_line(line) is not None:
            break
        names = [b.content for b in block[:-1]]
        if not any(R.COALITION.search(n) for n in names):
            continue
        issuer, department = _split_issuer(names)
        ev = Evidence(
            rule="sign-off",
            raw="\n".join(b.text for b in block),
            spans=() if block[0].locator is not None else tuple(b.span for b in block),
            locator=block[0].locator,
        )
        for b in block:
            remove(draft, b, "sign-off")
        _issuer_signal(draft, issuer, block, "sign-off-issuer")
        add(draft.closing_dates, draft, dated, ev, None)
        if draft.release and draft.release[0].value.issuer is None:
            header = draft.release[0]
            release = attrs.evolve(header.value, issuer=issuer, department=department, dated=dated)
            both = Evidence(
                rule="press-header+sign-off",
                raw=header.evidence.raw + "\n" + ev.raw,
                spans=header.evidence.spans + ev.spans,
                locator=header.evidence.locator,
            )
            draft.release[0] = Found(release, both)
        return body[:-size]
    return body


def _split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    issuer = next((s for s in lines if R.COALITION.search(s) and not R.DEPARTMENT.search(s)), None)
    if issuer is None:
        issuer = next((s for s in lines if not R.DEPARTMENT.search(s)), None)
    rest = [s for s in lines if s != issuer]
    department = " / ".join(rest) if rest else None
    if issuer is None and rest:
        issuer, department = rest[0], " / ".join(rest[1:]) or None
    return issuer, department


def _read_glued_release(draft: Draft, blocks: list[Block], i: int) -> int:
    """``Press releaseSyrian Opposition Coalition - SyriaDepartment of …June 24, 2020The…``."""
    block = blocks[i]
    text = block.text
    dates = [m for m in find_dates(text) if m.start <= 250]
    if not dates:
        return i
    date = dates[0]
    kind_match = R.RELEASE_KINDS.match(text)
    if kind_match is None:
        return i
    kind = text[: kind_match.end()]
    middle = text[kind_match.end() : date.start].strip()
    department_match = R.GLUED_DEPARTMENT.search(middle)
    if department_match is not None:
        issuer = middle[: department_match.start()].strip(" -–") or None
        department: str | None = department_match.group()
    else:
        issuer, department = middle or None, None
    release = Release(kind=kind, issuer=issuer, department=department, dated=date.value)
    ev = evidence_for(block, "press-header-glued", part=(0, date.end))
    add(draft.release, draft, release, ev, block)
    if issuer is not None and R.COALITION.search(issuer):
        credit(draft, WEIGHT_CREDIT, attrs.evolve(ev, rule="press-header-issuer"))
    rest = text[date.end :]
    lead = len(rest) - len(rest.lstrip())
    if rest.strip():
        start = date.end + lead
        # The remainder is the first body paragraph: re-enter it as a block of its own.
        blocks[i] = attrs.evolve(
            block,
            text=text[start:].rstrip(),
            content=normalize(text[start:]),
            start=block.start + start if block.locator is None else 0,
            end=block.end if block.locator is None else 0,
        )
        return i
    return i + 1
