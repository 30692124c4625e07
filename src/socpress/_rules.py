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

COALITION = re.compile(
    r"\b(?:SOC|SCO|SNC|Syrian (?:National |Opposition |Revolution )?Coalitions?|"
    r"National Coalition(?: (?:of|for) Syrian Revolution(?:ary)? (?:and|&) Opposition Forces)?|"
    r"Syrian Coalition)\b|الائتلاف|Suriye (?:Ulusal|Muhalif)[^.]{0,40}Koalisyonu|\bSMDK\b|"
    r"Koal[iî]syona (?:Ni[sş]timan[iî]|Sûriyê)",
    re.IGNORECASE,
)
"""Any mention of the coalition (used to decide credits, never alone to decide is_soc)."""

_SOURCE_CORE = r"\(\s*(?:Source|Sources|المصدر)\s*:\s*([^()\n]{2,150}?)\s*\)"
SOURCE_LINE_ALONE = re.compile(r"^" + _SOURCE_CORE + r"\.?$", re.IGNORECASE)
# No leading ``\s*``: with ``search`` it would rescan a run of spaces from every start
# (quadratic); the caller trims the paragraph before the match instead.
SOURCE_LINE_GLUED = re.compile(_SOURCE_CORE + r"\.?$", re.IGNORECASE)
SOURCE_LINE_AR = re.compile(r"المصدر\s*:\s*(\S[^:\n]{0,60}?)\s*$")
"""The Arabic source marker, ``المصدر: الائتلاف``, alone or glued to the paragraph's end."""

STANDFIRST_CREDIT = re.compile(
    r"\baccording to (?:the )?(?:SOC|Syrian (?:Opposition |National )?Coalition)(?:’s|'s)? "
    r"(?:Media Department|Media Office|Media|Department)\b",
    re.IGNORECASE,
)

# --- press-release header blocks ----------------------------------------------------------

RELEASE_KINDS = re.compile(
    r"^(?:press release|press statement|media statement|media note|media release|"
    r"press note|statement|joint statement|communiqu[eé]|"
    r"بيان صحفي|تصريح صحفي|بيان|تصريح|بلاغ صحفي|"
    r"bas[ıi]n a[çc][ıi]klamas[ıi]|bas[ıi]n b[üu]lteni|a[çc][ıi]klama|"
    r"daxuyaniya [çc]apemeniy[êe]|daxuyan[iî])",
    re.IGNORECASE,
)
"""The first line of a header block; the glued form starts with it too."""

DEPARTMENT = re.compile(
    r"(?:\bDepartment\b|\bOffice\b|\bDirectorate\b|\bGeneral Assembly\b|\bCommittee\b|"
    r"المكتب|الدائرة|دائرة|الهيئة العامة|\bDairesi\b|\bOfisi\b|, [A-Z][a-z]+$)",
)
"""What a department or place line looks like (``Istanbul, Turkey`` ends in ``, Country``)."""

GLUED_DEPARTMENT = re.compile(
    r"(?:Department of [A-Z][A-Za-z]+(?: (?:and|&) [A-Z][A-Za-z]+)?|Media Department|"
    r"Media Office|General Assembly|Istanbul, Turkey)$"
)

# --- lines that are chrome wherever they stand in the page head or tail --------------------

HEADER_CHROME = table(
    [
        (r"^(?:AR|TR|KU|EN|العربية|English|Türkçe|Kurdî)$", "edition-switcher"),
        (r"^(?:No Result|View All Result|Search)$", "search-widget"),
        (r"^Syrian National Coalition Of Syrian Revolution and Opposition Forces$", "site-name"),
        (r"^(?:Logo(?: Wide)?|Skip to (?:main )?content)$", "site-logo"),
        (r"^Print this page$", "print-view"),
        (r"^(?:Breaking news)?News$|^Breaking news", "section-label"),
        (r"^In English$", "edition-switcher"),
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
        (r"^(?:Last News|Latest News|Recent Posts|آخر الأخبار)$", "latest-news"),
        (r"^Follow us$", "social-counters"),
        (r"^Join Us$", "newsletter-form"),
        (r"^keyboard_arrow_left", "news-slider"),
        (r"^Preserving independence and national sovereignty", "mission-blurb"),
        (r"^Copyright\b|^©|^\(c\)", "copyright"),
        # Found anywhere in the line, so a row of its own: among the ``^`` rows it would stop
        # ``AnyOf`` from trying them at the start of the line only.
        (r"جميع الحقوق محفوظة", "copyright"),
        (
            r"^Welcome Back!$|^Login to your account|^Forgotten Password|^Retrieve your password",
            "login-form",
        ),
        (r"^Add New Playlist$", "playlist-modal"),
        (r"^Leave a (?:Reply|Comment)$|^Your email address will not be published", "comment-form"),
        (r"^Recommend article$", "recommend-form"),
        (
            r"^This article was (?:translated and )?edited by The Syrian Observer",
            "republisher-disclaimer",
        ),
        (r"^Helpful keywords$", "keywords"),
        (r"^Back to top button$|^زر الذهاب إلى الأعلى$", "back-to-top"),
        (r"^Tags?:", "tags"),
        (r"^Home (?:Media Center |press releases|News )", "breadcrumb"),
    ]
)
"""A block matching one of these starts a footer section; the section's rule labels every
following block until the next section starts."""
footer_sections = FirstRule(FOOTER_SECTIONS)

INLINE_CHROME = table(
    [
        (r"^Read Also:", "read-also"),
        (r"^(?:Also read|See also|اقرأ أيضاً?:)", "read-also"),
        (r"^Share\d*(?:Tweet\d*)?(?:Send\d*)?$", "share-bar"),
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

TEASER_ENDS = ("...", "…")
"""A listing teaser is cut and ends in an ellipsis. Endings for ``str.endswith`` (content
holds no line break for a ``$`` to stand before), which answers at once where a regex
would scan every full stop of a paragraph."""

OWN_SITE_CHROME = frozenset({"site-name", "mission-blurb"})
"""Chrome only the coalition's own site prints: its name in the header, its mission blurb
in the footer. Finding one makes the page the coalition's (``is_soc`` rule
``site-chrome``)."""
