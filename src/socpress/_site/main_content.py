"""What the main-content stage weighs blocks and containers by, as data.

The stage (``_extract/main_content.py``) reads pages no coalition layout claims. It scores
each element that holds blocks by the prose inside it against the boilerplate inside it,
takes the best as the main container, and prunes inside it. The words, marks and limits it
uses are the rows below; a removal's rule is the row's rule name.
"""

from __future__ import annotations

import re

PROSE_MIN_CHARS = 40
"""A block shorter than this is no prose paragraph (a heading, a label, a date line)."""
PROSE_MAX_LINK_SHARE = 0.35
"""A block with more of its text inside links than this is no prose paragraph."""
LINK_DENSE_SHARE = 0.5
"""Inside the main container, a block with more of its text inside links is removed
(``main-content:link-dense``): a list of links, a ``Read more`` line, a tag cloud."""
PROSE_MIN_STOPWORDS = 0.12
"""A block without sentence punctuation is prose when at least this share of its words are
function words of some language below."""
WRAPPER_SHARE = 0.5
"""An element whose marks say boilerplate but that holds at least this share of the page's
prose is a wrapper (``<div class="site-content sidebar-right">``): not boilerplate."""
CONTENT_BOOST = 1.25
"""How much an element that says it is the content (``article``, ``main``,
``itemprop="articleBody"``, ``class="entry-content"``) weighs above its bare score."""
SIBLING_SHARE = 0.2
SIBLING_LEVELS = 2
"""A sibling of the main container (or of its parent, up to ``SIBLING_LEVELS`` levels up)
joins it when it scores more than ``SIBLING_SHARE`` of the main container's score: an article
cut into sections (a standfirst, the text, a second part)."""

ARTICLE_BODY_MIN = 200
"""A JSON-LD ``articleBody`` at least this long is weighed against: a block whose start
(``AGREEMENT_PREFIX`` characters) it holds counts ``AGREEMENT_BOOST`` times its length more."""
AGREEMENT_PREFIX = 60
AGREEMENT_BOOST = 1.0

SENTENCE_PUNCTUATION = re.compile(r"[.!?;:,،؛؟۔。！？]")
"""Sentence punctuation of the scripts the pages come in (Latin, Arabic, CJK)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the a an and or of to in on for with by at from is are was were be been that this "
        "it its as not but he she they we you his her their our has have had will would said "
        "which who also after more than"
    ),
    "ar": _words(
        "في من على إلى عن أن إن التي الذي الذين هذا هذه ذلك كان كانت مع بين قد لا ما هو هي "
        "وقال قال أو ثم كما بعد عند حتى لم لن"
    ),
    "tr": _words(
        "ve bir bu da de ile için olarak olan gibi daha çok ama ki ne o en kadar sonra şu her "
        "değil ise tarafından"
    ),
    "ku": _words("û ji li bi di de ku ev ew yê ya jî bo re ser nav pêş wek hat dike kir bû ne an"),
    "de": _words(
        "der die das und ist in zu den mit von sich des auf für nicht ein eine dem im auch es "
        "als an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über "
        "so zum kann"
    ),
    "fr": _words(
        "le la les de des et un une est en du que qui dans pour pas sur au par plus il elle ce "
        "avec se sont ou mais"
    ),
    "es": _words(
        "el la los las de del y en un una que es por con para no se su al lo como más pero "
        "sus le ya"
    ),
}
"""Function words per language: a run of text that holds many is written prose, whatever
its punctuation. The coalition's four languages, and the languages republishers and the
field's benchmarks were seen in."""
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())

# A mark's word stands between the start or end of the marks and white space, ``-`` or
# ``_``. As lookarounds, not as a group that matches the edge: an optional group in front
# makes the engine try every alternative at every character, a lookbehind lets it skip to
# the characters a word can start with (4x quicker over the marks of real pages).
_EDGE = r"(?<![^\s_-])"
_END = r"(?![^\s_-])"


def _marks(words: str) -> re.Pattern[str]:
    return re.compile(f"{_EDGE}(?:{words}){_END}")


BOILERPLATE_MARKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _marks(
            r"comments?|comment-?list|disqus|respond|discussion|replies|kommentare?|"
            r"commentaires?|comentarios?"
        ),
        "main-content:comments",
    ),
    (
        _marks(
            r"related|recommended|recommendations?|more-?stories|read-?more|also-?read|"
            r"popular|trending|most-?read|most-?popular|outbrain|taboola"
        ),
        "main-content:related",
    ),
    (_marks(r"share|sharing|shares|social|sharedaddy|addthis|follow"), "main-content:share"),
    (_marks(r"sidebar|side-?bar|aside|widgets?|rail"), "main-content:sidebar"),
    (
        _marks(r"nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|skip-?link"),
        "main-content:navigation",
    ),
    (
        _marks(r"footer|colophon|copyright|disclaimer|disclosure|legal|entry-?utility"),
        "main-content:footer",
    ),
    (
        _marks(
            r"newsletter|subscribe|subscription|signup|promo|advert|advertisement|ads?|"
            r"sponsored|banner|cookies?|consent|paywall|cta|affiliate|content-?blocker"
        ),
        "main-content:promo",
    ),
    (
        _marks(
            r"caption|wp-caption-text|photo-?credits?|image-?credits?|img-?credits?|legend|"
            r"image-?annotation|img-?metadata|bildunterschrift|bilduntertitel|foto-?pie|"
            r"image-?description|img-?description|imagedescription"
        ),
        "main-content:caption",
    ),
    (_marks(r"tags?|tag-?list|tagcloud|keywords|post-?categories|categories"), "main-content:tags"),
    (
        _marks(
            r"author-?bio|about-?the-?author|author|bio|byline|post-?meta|entry-?meta|meta|"
            r"dateline|postmetadata"
        ),
        "main-content:byline",
    ),
)
"""Class, id, ``itemprop`` and ``role`` words of boilerplate containers, each with the rule
that removes the blocks inside one (first row wins). A word matches whole, between white
space, ``-`` or ``_``."""

TAXONOMY_MARK = re.compile(r"(?<!\S)(?:tag|category|format|type|status|has)-")
"""Class words a CMS writes from the post's own taxonomy (WordPress's ``tag-covid``,
``category-news``, ``format-standard``): they say what the post is about, not what the
element is, and are left out before the boilerplate marks are read."""

ANY_BOILERPLATE_MARK = _marks(
    "|".join(p.pattern.removeprefix(_EDGE).removesuffix(_END) for p, _ in BOILERPLATE_MARKS)
)
"""Any row of ``BOILERPLATE_MARKS``: one search clears the marks that none matches."""

BOILERPLATE_TAGS: dict[str, str] = {
    "aside": "main-content:sidebar",
    "nav": "main-content:navigation",
    "footer": "main-content:footer",
    "menu": "main-content:navigation",
}
"""Elements that are boilerplate by their tag."""

QUOTE_TAGS = frozenset({"blockquote"})
"""Inside a quotation a ``<footer>`` is its credit (who said it), not the page's footer."""

BLOCK_TAG_RULES: dict[str, str] = {"figcaption": "main-content:caption"}
"""Blocks removed inside the main container by their own tag: an image's caption and credit
is no paragraph of the text."""

CONTENT_MARKS = _marks(
    r"articlebody|article-?body|article-?content|entry-?content|post-?content|post-?body|"
    r"story-?body|story-?content|article-?text|main-?content|content-?body|text-?content"
)
"""Marks of an element that says it holds the article's text."""
CONTENT_TAGS = frozenset({"article", "main"})
"""Elements that say they hold the main content."""

# Every word starts with a word character, so a lookbehind is the ``\b`` before it, and
# lets the engine skip to the characters a word can start with.
CALL_TO_ACTION = re.compile(
    r"(?<!\w)(?:"
    # English
    r"subscribe[ds]?|subscribers?|subscriptions?|sign(?:ing)? up|newsletters?|follow (?:us|the)|"
    r"download the|our app|straight to your (?:phone|inbox)|telegram|whatsapp|"
    r"all rights reserved|copyrighted|creative commons|your support|support (?:us|our)|"
    r"consider supporting|donate now|please donate|logged in|log in to|opinions expressed|"
    r"not (?:necessarily )?(?:reflect|responsible for)|our advertisers|affiliate links?|"
    # German
    r"abonnieren|abonniere|abonnement|folgen sie|folge uns|alle rechte vorbehalten|unterstütze|"
    r"unterstützen sie|jetzt spenden|spenden sie|eingeloggt|einloggen|registrieren sie|netiquette|"
    r"meinung des autors|mit (?:freunden|anderen) teilen|benachrichtigung|lizenz cc|"
    r"bewerten sie|"
    # Spanish, Portuguese
    r"suscr[ií]bete|suscripci[oó]n|s[ií]guenos|[uú]nete|derechos reservados|hazte miembro|"
    r"valora esta|compartir en|"
    # French
    r"abonnez|suivez-nous|tous droits r[ée]serv[ée]s|n'engagent que|partager sur|"
    # Polish
    r"wszelkie prawa zastrzeżone|prawem autorskim|z cookies|"
    # Turkish, Arabic
    r"abone ol|takip edin|tüm hakları saklıdır|اشترك|تابعونا|جميع الحقوق محفوظة"
    r")(?!\w)",
    re.IGNORECASE,
)
"""Words of a paragraph that addresses the reader (subscribe, follow us, get the app, the
copyright notice), in the languages the pages come in."""
CALL_MAX_CHARS = 300
"""A closing call to the reader is short; a longer last paragraph is the text's own."""
CALL_LAST_BLOCKS = 6
"""Only the last kept blocks of a page are weighed as closing calls: past this many other
blocks, counting from the end, the search stops."""

SECTION_HEADING = re.compile(
    r"^\W*(?:"
    r"read more|related(?: articles| stories| posts| topics)?|see also|more on this|"
    r"you (?:may|might) also like|latest (?:articles|news|posts)|more from|"
    r"mehr zum thema|mehr (?:dazu|kolumnen|artikel|news)|weitere (?:themen|artikel|"
    r"informationen|infos|nachrichten)|zum weiterlesen|lesen sie auch|auch interessant|"
    r"das könnte sie (?:auch )?interessieren|neueste artikel|top[- ]themen|"
    r"más información|lee también|te puede interesar|noticias relacionadas|"
    r"veja também|leia também|à lire aussi|lire aussi|sur le même sujet|"
    r"zobacz także|czytaj (?:też|także)|ilgili haberler|bunlar da ilginizi çekebilir|"
    r"اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة"
    r")\b",
    re.IGNORECASE,
)
"""A short line that heads what the site adds after its text (``Read more``, ``Mehr zum
Thema``, ``Lee también``), in the languages the pages come in: removed inside the main
container (``main-content:section-heading``), whatever follows it."""
SECTION_HEADING_MAX_CHARS = 50
"""Such a heading is a label: a longer line that starts so is the text's own sentence."""

CAPTION_LINE = re.compile(
    r"^\W*(?:figure|fig\.|image|photo|picture|abbildung|abb\.|bild|titelbild|foto|grafik|"
    r"imagen|illustration|zdjęcie|fot\.|resim|fotoğraf|صورة)\s*\d*\s*:",
    re.IGNORECASE,
)
"""A line that names itself an image's caption or credit (``Abbildung 4: …``,
``Foto: …``, ``Photo: …``) inside the main container, up to ``CAPTION_LINE_MAX_CHARS``:
removed as ``main-content:caption``."""
CAPTION_LINE_MAX_CHARS = 300

AD_LABEL = re.compile(
    r"^\W*(?:anzeige|werbung|advertisement|advertorial|sponsored|publicidad|publicité|"
    r"reklama|reklam|إعلان)\s*(?:[-–—:.,|*)\]]|$)",
    re.IGNORECASE,
)
"""A line that labels itself an advertisement (``Anzeige - …``, ``*Werbung. …``: the label
and a mark after it, not a sentence about advertising), up to
``CAPTION_LINE_MAX_CHARS``, inside the main container: removed as ``main-content:promo``."""

TITLE_TAGS = frozenset({"h1"})
"""A block of one of these before the main container is kept: it is the page's title."""

DATE_LINE_RULES = frozenset({"main-content:byline"})
"""A date line right under the kept title (``March 3, 2021``, ``Posted on … by …``) that one
of these rules would remove (a ``post-meta`` or ``entry-meta`` element) is kept: it is the
article's visible date, which the head reads for ``published``. Only the line right under
the title: a date further down is a neighbour's or an event's."""
