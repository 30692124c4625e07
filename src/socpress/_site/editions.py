"""The editions of the coalition's site, as data: one row per edition.

The coalition publishes an English, an Arabic, a Turkish and a Kurdish (Kurmanji) edition.
Each prints its own site name, lists the other editions in its switcher, opens its press
releases with its own header words, credits its media office in its own source-line form and
closes its mission blurb in its own language. Everything socpress knows about an edition is a
row here; ``_site/rules.py`` and ``_site/layouts.py`` build their patterns from these rows, so a new
edition (or a new name for one) is a row plus a golden case, not new control flow.

Month and weekday names are the one exception: they live in ``_site/dates.py``, the one place
that turns text into dates.

Every string below is a regular-expression *fragment* unless its docstring says it is a
literal. Fragments use no groups and no nested quantifiers (the rule tables join them, and
``tests/test_regex_linear.py`` checks every compiled pattern).
"""

from __future__ import annotations

import re

import attrs


@attrs.frozen(kw_only=True)
class Edition:
    """One edition of the coalition's site and the words it prints."""

    code: str
    """ISO 639-1 code of the edition's language (``en``, ``ar``, ``tr``, ``ku``)."""
    hosts: tuple[str, ...]
    """Literal host names serving this edition."""
    path_prefixes: tuple[str, ...] = ()
    """Literal first path segments naming this edition on any of the site's hosts."""
    switcher_labels: tuple[str, ...]
    """Literal labels under which the other editions' switchers list this one."""
    site_names: tuple[str, ...] = ()
    """Literal site names the JNews header prints as a line of its own."""
    coalition: tuple[str, ...]
    """Fragments naming the coalition in running text (case-insensitive)."""
    release_kinds: tuple[str, ...] = ()
    """Fragments for the first line of a press-release header (``Press release``)."""
    kind_notes: tuple[str, ...] = ()
    """Fragments for a note printed after the kind on the same line (``Original in arabic``)."""
    departments: tuple[str, ...] = ()
    """Fragments for a department or office line of a header or sign-off."""
    source_markers: tuple[str, ...] = ()
    """Fragments for a bare source marker before ``:`` (``Jêder``), alone or glued."""
    mission_blurbs: tuple[str, ...] = ()
    """Literal openings of the mission paragraph the site prints in its footer."""
    speaker: tuple[str, ...] = ()
    """Fragments for the coalition speaking in the opening of a text: its name followed by a
    verb of stating (``The Syrian Coalition condemns``), evidence that the text is its own
    statement. Reported speech (``the SOC said in a Facebook post``) is evidence against."""


EDITIONS: tuple[Edition, ...] = (
    Edition(
        code="en",
        hosts=("en.etilaf.org",),
        path_prefixes=("en",),
        switcher_labels=("EN", "English", "In English"),
        site_names=("Syrian National Coalition Of Syrian Revolution and Opposition Forces",),
        coalition=(
            r"\b(?:SOC|SCO|SNC)\b",
            r"\bSyrian (?:National |Opposition |Revolution )?Coalitions?\b",
            r"\bNational Coalition(?: (?:of|for) Syrian Revolution(?:ary)? (?:and|&) "
            r"Opposition Forces)?\b",
        ),
        release_kinds=(
            "press release",
            "press statement",
            "media statement",
            "media note",
            "media release",
            "press note",
            "statement",
            "joint statement",
            "communiqu[eé]",
        ),
        kind_notes=(
            r"[-–—:(]? ?(?:original in|translated from) (?:arabic|english|turkish|kurdish)\)?",
        ),
        departments=(
            r"\bDepartment\b",
            r"\bOffice\b",
            r"\bDirectorate\b",
            r"\bGeneral Assembly\b",
            r"\bCommittee\b",
        ),
        source_markers=("Source", "Sources"),
        mission_blurbs=("Preserving independence and national sovereignty",),
        speaker=(
            r"^(?:The )?(?:Syrian (?:National |Opposition )?Coalition|National Coalition)"
            r"(?: \((?:SOC|SNC)\))?(?: for Syrian Revolution(?:ary)? and Opposition Forces)?"
            r"(?: \((?:SOC|SNC)\))? (?:has |have )?(?:strongly )?(?:condemn|denounc|stress|"
            r"warn|call|urg|welcom|affirm|reaffirm|reiterat|demand|express|renew|reject|"
            r"issued? a (?:press )?(?:statement|release)|emphasi[sz]|hold|held|mourn|"
            r"salut|congratulat|deplor)\w*",
            r"^(?:The )?(?:SOC|SNC)(?:’s|'s)? (?:has )?(?:strongly )?(?:condemn|denounc|"
            r"stress|warn|call|urg|welcom|affirm|reaffirm|demand|express|renew|reject|"
            r"issued? a (?:press )?(?:statement|release))\w*",
        ),
    ),
    Edition(
        code="ar",
        hosts=("www.etilaf.org", "etilaf.org"),
        path_prefixes=("ar",),
        switcher_labels=("AR", "العربية", "عربي"),
        # ``للائتلاف`` (``ل`` + ``الائتلاف``, the alef dropped): ``الدائرة الإعلامية للائتلاف``.
        coalition=("الائتلاف", "للائتلاف"),
        release_kinds=("بيان صحفي", "تصريح صحفي", "بيان", "تصريح", "بلاغ صحفي"),
        departments=("المكتب", "الدائرة", "دائرة", "الهيئة العامة"),
        source_markers=("المصدر",),
        mission_blurbs=("ثوابت الائتلاف هي الحفاظ على الاستقلالية",),
        speaker=(
            r"^(?:أصدر|يدين|دان|أدان|طالب|يطالب|أكد|يؤكد|حذر|يحذر|رحب|يرحب|ندد|يندد|استنكر|"
            r"يستنكر|دعا|يدعو|جدد|يجدد)(?: اليوم)? الائتلاف",
            r"^الائتلاف الوطني(?: السوري| لقوى الثورة والمعارضة السورية)? (?:يدين|يطالب|"
            r"يؤكد|يحذر|يرحب|يندد|يستنكر|يدعو|يجدد)",
        ),
    ),
    Edition(
        code="tr",
        hosts=("tr.etilaf.org",),
        path_prefixes=("tr",),
        switcher_labels=("TR", "Türkçe"),
        site_names=("Suriye Muhalif ve Devrimci Güçler Ulusal Koalisyonu",),
        coalition=(
            r"Suriye (?:Ulusal|Muhalif)[^.]{0,40}Koalisyonu",
            r"\bSMDK\b",
        ),
        release_kinds=(
            "bas[ıi]n a[çc][ıi]klamas[ıi]",
            "bas[ıi]n b[üu]lteni",
            "a[çc][ıi]klama",
        ),
        departments=(r"\bDairesi\b", r"\bOfisi\b", r"\bB[üu]rosu\b"),
        source_markers=("Kaynak",),
        mission_blurbs=("SMDK'nın en önemli ilkeleri", "SMDK’nın en önemli ilkeleri"),
        speaker=(
            r"^(?:Suriye Muhalif ve Devrimci Güçler Ulusal Koalisyonu|Suriye Ulusal "
            r"Koalisyonu)(?: \(SMDK\))?,? [^.]{0,160}(?:kınadı|kınıyor|çağrıda bulundu|"
            r"vurguladı|uyardı|memnuniyetle karşıladı)",
            r"^SMDK,? [^.]{0,160}(?:kınadı|kınıyor|çağrıda bulundu|vurguladı|uyardı)",
        ),
    ),
    Edition(
        code="ku",
        hosts=("ku.etilaf.org", "kurdi.etilaf.org"),
        path_prefixes=("ku", "kurdi", "kmr"),
        switcher_labels=("KU", "Kurdî"),
        coalition=(
            r"Hevbendiya Ni[sş]timan[iî]",
            # The short form source lines use: ``Jêder: Hevbendî``.
            r"^Hevbend[iî]\b",
            r"Koal[iî]syona (?:Ni[sş]timan[iî]|Sûriyê)",
            r"Îtilafa Ni[sş]timan[iî]",
        ),
        release_kinds=(
            # Spelled several ways on the site: daxwiyanî / daxuyanî, -yeke / -ya, and
            # "press" as rojnamevanî, rojnamegerî or çapemeniyê.
            "dax(?:wi|u)yaniy(?:eke|a) (?:rojnamevan|rojnameger)[iî]",
            "dax(?:wi|u)yaniy(?:eke|a) [çc]apemeniy[êe]",
            "dax(?:wi|u)yan[iî]",
        ),
        departments=(r"\bOf[iî]sa\b", r"\bDesteya\b"),
        source_markers=("Jêder", "Jêde", "Çavkanî"),
        speaker=(
            r"^Hevbendiya Ni[sş]timan[iî][^.]{0,120} (?:şermezar kir|tekez kir|bang kir|"
            r"daxwaz kir|pêşwazî kir|şermezar dike|tekez dike|bang dike|daxwaz dike)",
        ),
    ),
)
"""The coalition's editions. The first row is the default where an edition must be named."""

HOSTS = {host: edition for edition in EDITIONS for host in edition.hosts}
"""Each of the site's hosts, and the edition it serves."""

PATH_PREFIXES = {prefix: edition for edition in EDITIONS for prefix in edition.path_prefixes}
"""A first path segment that names an edition on any of the site's hosts."""

OWN_DOMAIN = "etilaf.org"
"""The coalition's registered domain: every host under it is its site."""


SITE_SUFFIXES = (
    re.compile(
        r"\s+[-–—|:·«»]+\s+(?:The\s+)?(?:Syrian\s+(?:National|Opposition)\s+Coalition|"
        r"National\s+Coalition\s+of\s+Syrian|الائتلاف\s+الوطني).*$",
        re.IGNORECASE,
    ),
    re.compile(r"\s+[-–—|]\s+(?:The\s+)?Syrian\s+Observer\s*$", re.IGNORECASE),
    re.compile(r"\s+[-–—|]\s+Syria\s*Kurd\S*\s*$", re.IGNORECASE),
)
"""Site names that pages append to ``<title>``/``og:title`` (the coalition's in English and
Arabic, and those of the republishers socpress has layouts for); removed from the value."""


def edition_of_site_name(line: str) -> Edition | None:
    """The edition whose JNews site name ``line`` is (normalized content), if any."""
    folded = line.casefold()
    for edition in EDITIONS:
        if any(folded == name.casefold() for name in edition.site_names):
            return edition
    return None
