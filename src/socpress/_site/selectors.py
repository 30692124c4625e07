"""The HTML selectors and tag tables socpress reads markup with, as data.

Selector chrome (each selector with the rule that names it in ``removed``), the tags that
end a line, the tags whose content is never shown, and the JSON-LD types of an
article. A new site's chrome is a row here; the site names pages append to their titles are
in ``_site/editions.py``, the Wayback Machine's marks in ``_site/urls.py``.
"""

from __future__ import annotations

# --- site knowledge, as data ---------------------------------------------------------------

CHROME_SELECTORS: tuple[tuple[str, str], ...] = (
    # The Wayback Machine's own toolbar and widgets.
    ("#wm-ipp-base", "wayback-toolbar"),
    ("#wm-ipp", "wayback-toolbar"),
    ("#wm-ipp-print", "wayback-toolbar"),
    ("#donato", "wayback-toolbar"),
    (".wb-autocomplete-suggestions", "wayback-toolbar"),
    # Markup that says it is not for readers.
    ("[hidden]", "hidden"),
    ('[aria-hidden="true"]', "hidden"),
    # The coalition's WordPress/JNews theme.
    (".jeg_share_top_container", "share-bar"),
    (".jeg_share_bottom_container", "share-bar"),
    (".jeg_share_button", "share-bar"),
    (".jnews_related_post_container", "related-posts"),
    (".jeg_prevnext_post", "adjacent-posts"),
    (".jeg_breadcrumbs", "breadcrumb"),
    ("ul.jeg_menu", "menu"),
    ("ul.jeg_mobile_menu", "menu"),
    (".jnews_comment_container", "comment-form"),
    # WordPress and generic page furniture.
    (".sharedaddy", "share-bar"),
    (".comments-area", "comment-form"),
    ("#comments", "comment-form"),
    ("#respond", "comment-form"),
    ("nav", "menu"),
    ('[role="navigation"]', "menu"),
    ("ul.menu", "menu"),
    ("body > header", "site-header"),
    ("header.site-header", "site-header"),
    ('[role="banner"]', "site-header"),
    ("body > footer", "footer"),
    ('[role="contentinfo"]', "footer"),
    ("footer:not(blockquote footer)", "footer"),
    ("form", "form"),
)
"""CSS selector → removal rule, for chrome removed before the text pipeline sees it. The
outermost matching element wins; for one element, the first row whose last compound
(``tag#id.class[attr="value"]``) fits it names the rule."""

JNEWS_MARK = "jeg_"
"""The class prefix every page of the JNews theme carries."""
WAYBACK_ROWS = frozenset(s for s, rule in CHROME_SELECTORS if rule == "wayback-toolbar")
"""Rows asked only of Wayback captures (``urls.is_wayback``)."""
JNEWS_ROWS = frozenset(s for s, _ in CHROME_SELECTORS if "jeg_" in s or "jnews_" in s)
"""Rows asked only of pages that carry ``JNEWS_MARK``: the theme's own containers. Every row
costs the selector engine on every element, and most pages are of neither kind."""

ALT_TEXT_SELECTORS: tuple[str, ...] = (".jeg_logo img[alt]",)
"""Images whose ``alt`` text a text rendering prints and a layout signature relies on (the
JNews logo carries the site name)."""

INVISIBLE: dict[str, str] = {
    "script": "script",
    "style": "style",
    "noscript": "noscript",
    "template": "template",
    "svg": "svg",
    "math": "svg",
    "iframe": "iframe",
    "object": "embed",
    "embed": "embed",
    "canvas": "embed",
    "video": "embed",
    "audio": "embed",
    "select": "form",
    "textarea": "form",
    "title": "html-title",
    # Ruby annotations (furigana) read beside the base text, never inside the sentence.
    "rt": "ruby-annotation",
    "rp": "ruby-annotation",
}
"""Elements whose content is never printed as text, and the rule that removes them."""

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "BlogPosting", "ReportageNews", "AnalysisNewsArticle", "Report"}
)

TITLE_SEPARATORS = (" – ", " — ", " | ", " - ", " :: ", " « ", " » ", " · ", ": ")
