"""Site knowledge as data: chrome phrases, section markers, credit and header patterns.

Every pattern here is matched against a block's normalized ``content`` (white space folded,
bidi controls dropped, bullet marker removed). Patterns use no nested quantifiers, so each
runs in linear time (``tests/test_regex_linear.py`` checks them all); most are anchored with
``^``, which lets a joined table (``AnyOf``) try them at the start of a block only.
Rule names are the ``Removal.rule`` values users see; ``docs/rules.md`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from socpress._site.editions import EDITIONS

Pattern = re.Pattern[str]
RuleTable = tuple[tuple[Pattern, str], ...]


def table(rows: Sequence[tuple[str, str]], flags: int = re.IGNORECASE) -> RuleTable:
    """Compile ``(regex, rule)`` rows once, at import."""
    return tuple((re.compile(pattern, flags), rule) for pattern, rule in rows)


@attrs.frozen
class AnyOf:
    """Whether any of some patterns is found in a text, in one or two searches.

    Most blocks are body text that no chrome or signature pattern matches, and trying the
    patterns one by one costs a search each. Joined instead, the patterns that start with
    ``^`` make one alternation whose shared anchor the regex compiler factors out, so it is
    tried at the start of the text only; the others make a second, which scans the text
    once. The split changes no answer (a pattern that only looks anchored costs speed).
    The patterns must share their flags and have no groups: joined, one pattern's groups
    would shift the numbers another's back-references use.
    """

    joined: tuple[Pattern, ...]

    @classmethod
    def of(cls, patterns: Iterable[Pattern]) -> AnyOf:
        patterns = tuple(patterns)
        if len({p.flags for p in patterns}) > 1 or any(p.groups for p in patterns):
            raise ValueError("AnyOf joins patterns with one set of flags and no groups")
        anchored = [p.pattern for p in patterns if p.pattern.startswith("^")]
        elsewhere = [p.pattern for p in patterns if not p.pattern.startswith("^")]
        return cls(
            tuple(
                re.compile("|".join(f"(?:{source})" for source in group), patterns[0].flags)
                for group in (anchored, elsewhere)
                if group
            )
        )

    def found_in(self, text: str) -> bool:
        for pattern in self.joined:  # noqa: SIM110 - any() over a generator: slower, per block
            if pattern.search(text) is not None:
                return True
        return False


@attrs.frozen
class FirstRule:
    """The rows of a rule table, and the union that clears the texts none of them matches."""

    rows: RuleTable
    any_row: AnyOf = attrs.field(init=False)

    @any_row.default
    def _any_row(self) -> AnyOf:
        return AnyOf.of(pattern for pattern, _ in self.rows)

    def first_rule(self, text: str) -> str | None:
        """The rule of the first row whose pattern is found in ``text``, or ``None``."""
        # ``any_row.found_in``, inlined: this runs for every block, several times.
        for joined in self.any_row.joined:
            if joined.search(text) is not None:
                break
        else:
            return None
        for pattern, rule in self.rows:
            if pattern.search(text):
                return rule
        raise AssertionError("any_row found a text that no row finds")  # pragma: no cover


# --- the coalition's names, and credits that make a text its statement ------------------
# Built from the edition rows of ``_site/editions.py``: a new edition's words are a row there.


def _union(fragments: Iterable[str]) -> str:
    return "|".join(f"(?:{fragment})" for fragment in fragments)


COALITION = re.compile(_union(f for edition in EDITIONS for f in edition.coalition), re.IGNORECASE)
"""Any mention of the coalition (used to decide credits, never alone to decide is_soc)."""

_MARKERS = _union(m for edition in EDITIONS for m in edition.source_markers)
_SOURCE_CORE = r"\(\s*(?:" + _MARKERS + r")\s*:\s*([^()\n]{2,150}?)\s*\)"
SOURCE_LINE_ALONE = re.compile(r"^" + _SOURCE_CORE + r"\.?$", re.IGNORECASE)
# No leading ``\s*``: with ``search`` it would rescan a run of spaces from every start
# (quadratic); the caller trims the paragraph before the match instead.
SOURCE_LINE_GLUED = re.compile(_SOURCE_CORE + r"\.?$", re.IGNORECASE)
SOURCE_TAIL = 300
"""A bare source marker stands this close to the end of its paragraph at most (credit and
white space included): only that tail is searched."""
SOURCE_LINE_BARE = re.compile(
    r"(?:^|(?<=[.!?؟»”\"’…] ))(?:" + _MARKERS + r")\s*:\s*(\S[^:\n]{0,80}?)\s*$",
    re.IGNORECASE,
)
"""An edition's bare source marker (``المصدر: الائتلاف``, ``Jêder: Hevbendî``, the typo
``Jêde: Hevbendî``), alone on its line or glued after the paragraph's last sentence."""

SOURCE_DATE_SEPARATORS = (" / ", ", ", " - ", " – ")
"""What stands between a source line's credit and the date some source lines carry
(``Syrian Coalition’s Media Department / 12.11.2017``)."""

# No leading ``\b`` here nor in the next patterns: a pattern that starts with a literal is
# searched by the regex engine's fast prefix scan, ten times quicker over a paragraph.
STANDFIRST_CREDIT = re.compile(
    r"according to (?:the )?(?:SOC|Syrian (?:Opposition |National )?Coalition)(?:’s|'s)? "
    r"(?:Media Department|Media Office|Media|Department)\b",
    re.IGNORECASE,
)

SPEAKER = re.compile(_union(f for edition in EDITIONS for f in edition.speaker), re.IGNORECASE)
"""The coalition speaking in the opening sentence of a text (``The Syrian Coalition condemns
…``, ``أصدر الائتلاف الوطني بياناً``): evidence that the text is its statement."""

REPORTED_SPEECH = re.compile(
    r"(?:said|stated|wrote|announced|posted) (?:in|on) (?:a |an |its )?(?:Facebook|Twitter|"
    r"Telegram|post|tweet|interview|website|statement|press statement)|told (?:the )?[A-Z][\w-]*|"
    # Only an outsider writes the acronym as a noun in brackets: ``the (SOC) called on``.
    r"[Tt]he \((?:SOC|SNC)\)|"
    r"according to (?!(?:the )?(?:SOC|Syrian (?:Opposition |National )?Coalition)(?:’s|'s)? "
    r"(?:Media|Department))(?:the )?[A-Z][\w-]+ (?:News|Agency|TV|Television|Network|Radio)\b|"
    r"\((?:AFP|AP|Reuters|dpa|AA|SANA)\)|(?:Reuters|AFP|Anadolu|dpa)\b|"
    r"وكالة (?:رويترز|الأناضول|فرانس برس)|بحسب ما ?نقلت|في تصريح ل|"
    r"muhabirine\b|AA muhabiri|yapılan (?:yazılı )?açıklamada\b|Pressestelle\b"
)
"""An outlet's voice: reported speech, an interview, a news agency's credit or dateline.
Evidence that a text is a report about the coalition, not its statement. Only a match that
starts a word counts (``reported_speech``)."""


def reported_speech(text: str) -> re.Match[str] | None:
    """The first ``REPORTED_SPEECH`` match in ``text`` that starts a word."""
    for match in REPORTED_SPEECH.finditer(text):
        at = match.start()
        if at == 0 or not text[at - 1].isalnum():
            return match
    return None


BYLINE = re.compile(r"^(?:By|Written by|Reporting by|Yazan|بقلم|كتب) [A-Z\u0600-\u06ff][^.]{1,60}$")
"""A byline: the text is someone else's writing."""

# --- press-release header blocks ----------------------------------------------------------

RELEASE_KINDS = re.compile(
    r"^(?:" + _union(k for edition in EDITIONS for k in edition.release_kinds) + r")",
    re.IGNORECASE,
)
"""The first line of a header block; the glued form starts with it too."""

KIND_NOTE = re.compile(_union(n for edition in EDITIONS for n in edition.kind_notes), re.IGNORECASE)
"""A note after the kind on the header's first line (``Press Release Original in arabic``)."""

DEPARTMENT = re.compile(
    _union(d for edition in EDITIONS for d in edition.departments) + r"|, [A-Z][a-z]+$"
)
"""What a department or place line looks like (``Istanbul, Turkey`` ends in ``, Country``)."""

GLUED_DEPARTMENT = re.compile(
    r"(?:Department of [A-Z][A-Za-z]+(?: (?:and|&) [A-Z][A-Za-z]+)?|Media Department|"
    r"Media Office|General Assembly|Istanbul, Turkey)$"
)

SIGN_OFF_LINES = 4
"""Most lines of a closing sign-off block (issuer, office, place, date)."""

# --- lines that are chrome wherever they stand in the page head or tail --------------------

PRINT_VIEW = r"^Print this page$"
"""The first line of the Joomla site's print view (the one place this phrase is written)."""

HEADER_CHROME = table(
    [
        (
            "^(?:" + _union(re.escape(n) for e in EDITIONS for n in e.switcher_labels) + ")$",
            "edition-switcher",
        ),
        (r"^(?:No Result|View All Result|Search)$", "search-widget"),
        (
            "^(?:" + _union(re.escape(n) for e in EDITIONS for n in e.site_names) + ")$",
            "site-name",
        ),
        (r"^(?:Logo(?: Wide)?|Skip to (?:main )?content)$", "site-logo"),
        (PRINT_VIEW, "print-view"),
        (r"^A ?A$|^A\+ ?A-$|^A- ?A\+$", "font-size"),
        (r"^(?:Breaking news)?News$|^Breaking news", "section-label"),
        (r"^Home(?: [^.!?]{1,120})?$", "breadcrumb"),
    ]
)
"""Chrome in the head of a page; unlisted head lines fall to the layout's default rule."""
header_chrome = FirstRule(HEADER_CHROME)

FOOTER_SECTIONS = table(
    [
        (r"^Share\d*(?:Tweet\d*)?(?:Send\d*)?(?:Share\d*)?$", "share-bar"),
        (
            r"^(?:Posts Related|Related Posts|Related Articles|Related|مقالات ذات صلة|"
            r"مقالات متعلقة|اقرأ أيضا|İlgili Haberler)$",
            "related-posts",
        ),
        (r"^(?:Next Post|Previous Post|Next|Previous)$", "adjacent-posts"),
        (r"^(?:Search|No Result|View All Result)$", "search-widget"),
        (r"^(?:Last News|Latest News|Recent Posts|آخر الأخبار|Son Haberler)$", "latest-news"),
        (r"^(?:Follow us|Bizi takip edin|تابعونا)$", "social-counters"),
        (r"^Join Us$", "newsletter-form"),
        (r"^keyboard_arrow_left", "news-slider"),
        (
            "^(?:" + _union(re.escape(b) for e in EDITIONS for b in e.mission_blurbs) + ")",
            "mission-blurb",
        ),
        (r"^Copyright\b|^©|^\(c\)", "copyright"),
        # Found anywhere in the line, so a row of its own: among the ``^`` rows it would stop
        # ``AnyOf`` from trying them at the start of the line only.
        (r"جميع الحقوق محفوظة", "copyright"),
        (
            r"^Welcome Back!$|^Login to your account|^Forgotten Password|^Retrieve your password",
            "login-form",
        ),
        (r"^Add New Playlist$", "playlist-modal"),
        # WordPress's comment form, in the languages republishers were seen in.
        (
            r"^Leave a (?:Reply|Comment)$|^Your email address will not be published|"
            r"^Geef een reactie$|^Het e-mailadres wordt niet gepubliceerd|"
            r"^Schreibe einen Kommentar$|^Laisser un commentaire$|^Bir yanıt yazın$|"
            r"^Bir cevap yazın$|^اترك تعليقاً$|^اترك رد$|^اترك تعليقا$|"
            r"^Deine E-Mail-Adresse wird nicht veröffentlicht",
            "comment-form",
        ),
        (r"^Recommend article$", "recommend-form"),
        (
            r"^This article was (?:translated and )?edited by The Syrian Observer|"
            r"^Translated and edited by The Syrian Observer",
            "republisher-disclaimer",
        ),
        (r"^Helpful keywords$", "keywords"),
        (r"^Back to top button$|^زر الذهاب إلى الأعلى$", "back-to-top"),
        (r"^(?:Tags?|Etiketler|الوسوم):", "tags"),
        (r"^Home (?:Media Center |press releases|News )", "breadcrumb"),
    ]
)
"""A block matching one of these starts a footer section; the section's rule labels every
following block until the next section starts (on the layouts with ``footer_sections``)."""
footer_sections = FirstRule(FOOTER_SECTIONS)

CLOSING_SECTIONS = frozenset(
    {
        "related-posts",
        "adjacent-posts",
        "latest-news",
        "social-counters",
        "newsletter-form",
        "comment-form",
        "recommend-form",
        "republisher-disclaimer",
        "keywords",
        "tags",
        "share-bar",
    }
)
"""Footer rules whose line heads a section of its own (related posts, a comment form, …). On a
generic layout such a line ends the body when nothing after it is prose (``generic_tail``)."""

CLOSING_PROSE_WORDS = 16
"""A block of at least this many words that ends like a sentence is prose: a closing section
with one after it does not end the body (``generic_tail``)."""

LOCAL_CHROME_MAX = 100
"""On a generic layout a footer rule removes a block only when the block is at most this many
characters long: a short line that is the chrome (``Copyright © 2024 Site``, ``Tags: a, b``,
``Search``), never a paragraph that merely starts with ``Copyright`` or ``©``."""

INLINE_CHROME = table(
    [
        (r"^Read Also:", "read-also"),
        (r"^(?:Also read|See also|اقرأ أيضاً?:)", "read-also"),
        (r"^Share\d*(?:Tweet\d*)?(?:Send\d*)?$", "share-bar"),
        (r"^(?:إعلان|Advertisement|Reklam|Anzeige)$", "ad-marker"),
        # A republisher's own credit, a link to where it took the text from (``المصدر :
        # https://…``): never the coalition's attribution, never body.
        (
            r"^(?:" + _MARKERS + r")\s*:\s*(?:https?://|www\.)\S{1,300}$",
            "republisher-credit",
        ),
    ]
)
"""Chrome that may stand inside the body; removed without ending it."""
inline_chrome = FirstRule(INLINE_CHROME)

CATEGORY_LINE = re.compile(r"^in (\S.{0,60})$", re.IGNORECASE)
"""JNews prints ``in <Category>`` under the date."""

JOOMLA_BREADCRUMB = re.compile(
    r"^Home (?:Media Center )?(press releases|Coalition News|Local News|Political News|"
    r"News|Statements|Reports|[A-Z][A-Za-z]+(?: [A-Za-z]+)? News) (.+)$",
    re.IGNORECASE,
)
"""Joomla's closing breadcrumb: ``Home [Media Center] <category> <title>``."""

CLOSING_BREADCRUMB = re.compile(r"^Home ([^.!?]{3,200})$")
"""A breadcrumb closing a page: ``Home`` and the trail down to the page's own title."""

LISTING_ITEM_MARK = " In "
LISTING_ITEM_HEADER = re.compile(rf"^(\S.{{4,40}}?){LISTING_ITEM_MARK}(\S.{{0,60}})$")
"""A date-archive item header: ``23 May 2017 In Coalition News``, ``26 شباط/فبراير 2016 In
بيانات صحفية`` (the English ``In`` stays on Arabic pages). A block without the mark is no
header; ``in`` says so faster than the regex."""

SECTION_LABELS = re.compile(
    r"^(?:Press Releases|Coalition News|Political News|Local News|Reports|News|Statements|"
    r"Presidential News|بيانات صحفية|البيانات الصحفية|أخبار الائتلاف)$",
    re.IGNORECASE,
)
"""The heading a section listing (``/press``) prints above its items."""

ARCHIVE_HEADING = re.compile(
    r"^(?:(?:Tag|Category|Topic|Tag Archives?|Category Archives?|Archives?|Etiket|Kategori|"
    r"Arşiv|الوسم|وسم|التصنيف|تصنيف|أرشيف|Etîket|Kategorî)\s*:\s*\S.{0,80}|"
    r"(?:Posts|Articles|News) (?:tagged|in category|filed under) \S.{0,80})$",
    re.IGNORECASE,
)
"""The heading another site prints above a tag, category or archive listing (``Tag: Syrian
Coalition``, ``Category Archives: Syria``, ``Posts tagged “SOC”``, ``الوسم: الائتلاف``)."""

ARCHIVE_HEADING_BLOCKS = 12
"""How far into a page such a heading may stand (after the site's header and menu)."""

POSTED_LINE = re.compile(
    r"^(?:(?:Posted|Published|Updated)(?: on)?:? )?(\S.{4,40}?)(?: (?:by|By|-|–|\|) .{1,60})?$"
)
"""A listing item's date line, as other sites print it: the date alone, or after ``Posted
on`` and before a byline (``Posted on March 5, 2021 by admin``); group 1 is the date."""

READ_MORE = re.compile(
    r"^(?:Read [Mm]ore|READ MORE|Continue [Rr]eading|Devamını [Oo]ku|اقرأ المزيد|المزيد|"
    r"Zêdetir bixwîne)\b[^.!?]{0,60}$"
)
"""A listing item's link to the whole post (``Read More``, ``Continue reading →``)."""

PAGINATION = re.compile(
    r"^(?:Page \d+ of \d+|Older (?:posts|entries)|Newer (?:posts|entries)|(?:« )?Older Entries|"
    r"Newer Entries(?: »)?|Load [Mm]ore|Next [Pp]age|Previous [Pp]age)$"
)
"""A listing's page links after its last item: they end the listing."""

TEASER_ENDS = ("...", "…")
"""A listing teaser is cut and ends in an ellipsis. Endings for ``str.endswith`` (content
holds no line break for a ``$`` to stand before), which answers at once where a regex
would scan every full stop of a paragraph."""

OWN_SITE_CHROME = frozenset({"site-name", "mission-blurb"})
"""Chrome only the coalition's own site prints: its name in the header, its mission blurb
in the footer. Finding one makes the page the coalition's (``is_soc`` rule
``site-chrome``)."""
