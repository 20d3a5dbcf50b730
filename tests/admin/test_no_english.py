"""No English on any page a staff member reaches in Vietnamese mode.

A superuser walks the admin (index, every model's list, add, change, delete and history
pages, the import and export pages, the user and password pages, a form with errors) and the
dashboard, in Vietnamese (the default, with a browser asking for English). Every visible text
— text nodes, and the titles, placeholders, labels and button values a user reads — is
checked two ways:

- equal to an English message of a catalogue (Django's, its contrib apps', DRF's,
  django-import-export's, django-simple-history's, django-axes', the project's) whose
  Vietnamese differs: the translation was not applied;
- made of English words only (a list of words the admin uses): a string no catalogue knows
  (group or permission names, a ``None`` printed as is, an app label in capitals).
"""

import ast
import contextlib
import datetime
import gettext
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import axes
import django
import import_export
import pytest
import rest_framework
import simple_history
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from registry.tokens import ApiToken
from tests.factories import (
    ClusterFactory,
    InspectionFactory,
    MarketFactory,
    MarketProjectFactory,
    TargetFactory,
    UserFactory,
    district,
)

pytestmark = pytest.mark.django_db

#: Words that make a visible string English when all its words are English. Short, common,
#: and none of them Vietnamese; codes and names of records are not made of them.
ENGLISH_WORDS = set(
    """
    a about access action actions add added address after all an and any app are as at attempt
    attempts auth authentication axes be been before below by can cancel change changed changes
    choose clear click close confirm content correct create created date delete deleted
    department details district do does don edit email enter error errors export failure field
    fields file filter filters find first for form format from go group groups has have help
    here history home if import in information is it item items last list log login logout logs
    may model more name new next no none not now object of on one only or other out page
    password passwords permission permissions please preview previous record records remove
    required reset revert row rows save search see select selected show sign site staff status
    superuser that the this time to today token tokens type unknown update user username users
    value view was we welcome were what when which will with yes you your result results total
    industrial cluster clusters inspection inspections wastewater market markets project
    projects target targets assignment assignments historical expiration entry session sessions
    raw enabled disabled
    """.split()  # noqa: SIM905 - easier to read as words
)

#: Visible strings that are the same in both languages (units, formats, brand names).
SAME_IN_BOTH = {"CSV", "XLSX", "JSON", "API", "ha", "m²", "ID", "OK", "QCVN", "Django"}
#: The language switch names English in English, so that it can be found; and django-axes
#: stores "<unknown>" for a client that sent no user agent (data, not interface).
SAME_IN_BOTH |= {"English", "<unknown>"}

TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class VisibleText(HTMLParser):
    """The strings of a page a user reads."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attributes = dict(attrs)
        for name in TEXT_ATTRIBUTES:
            if attributes.get(name):
                self.texts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts if text.strip()]


def po_msgids_of(block: str):
    """The msgid (and msgid_plural) of one .po entry."""
    key, fields = None, {}
    for line in block.splitlines():
        if line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
        elif line.startswith(("msgid ", "msgid_plural ")):
            key, literal = line.split(" ", 1)
            fields[key] = ast.literal_eval(literal)
        else:
            key = None
    yield from (fields[k] for k in ("msgid", "msgid_plural") if fields.get(k))


def po_msgids(path: Path):
    """The msgids (singular and plural) of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        yield from po_msgids_of(block)


def mo_msgids(path: Path):
    with path.open("rb") as handle:
        for key in gettext.GNUTranslations(handle)._catalog:
            yield key[0] if isinstance(key, tuple) else key  # (singular, index) of a plural


def catalogue_msgids():
    site = Path(django.__file__).parent
    # Django's English catalogues list every message (their .mo files are empty).
    for path in [*site.glob("conf/locale/en/LC_MESSAGES/django.po")] + sorted(
        site.glob("contrib/*/locale/en/LC_MESSAGES/django.po")
    ):
        yield from po_msgids(path)
    for package in (rest_framework, import_export, simple_history, axes):
        # Any language's catalogue lists the package's English messages (its keys).
        for path in sorted(Path(package.__file__).parent.glob("locale/*/LC_MESSAGES/django.mo"))[
            :3
        ]:
            yield from mo_msgids(path)
    yield from po_msgids(Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po")


@cache
def english_messages() -> frozenset[str]:
    """Every English message of the catalogues whose Vietnamese is different."""
    found = set()
    with translation.override("vi"):
        for msgid in set(catalogue_msgids()):
            text = " ".join(msgid.split())
            if len(text) < 2 or "%" in text or "{" in text or text in SAME_IN_BOTH:
                continue
            if translation.gettext(msgid) != msgid:
                found.add(text)
    return frozenset(found)


WORD = re.compile(r"[A-Za-zÀ-ỹĐđ]+")


def is_english_words(text: str) -> bool:
    words = WORD.findall(text)
    if not words or any(not word.isascii() for word in words):
        return False
    lowered = [word.lower() for word in words]
    if len(text.split()) >= 4 and text.isascii():
        return True  # a sentence without a single Vietnamese letter
    return all(word in ENGLISH_WORDS for word in lowered)


SEPARATORS = re.compile(r"\s*[|›]\s*")


def is_english(text: str) -> bool:
    if text in SAME_IN_BOTH:
        return False
    messages = english_messages()
    # A permission is shown "app | model | name"; breadcrumbs "Home › app › model".
    parts = [text, *(part for part in SEPARATORS.split(text) if part)]
    return any(
        part not in SAME_IN_BOTH and (part in messages or is_english_words(part)) for part in parts
    )


def english_on(html: str) -> list[str]:
    return sorted({text for text in visible_texts(html) if is_english(text)})


# ------------------------------------------------------------------------------------------
# The walk
# ------------------------------------------------------------------------------------------


@pytest.fixture
def records(superuser):
    """One record of every model in the admin, with some history."""
    cluster = ClusterFactory(
        code="CCN-DI-BO",
        district=district("017"),
        established_on=datetime.date(2012, 1, 1),
        operating_since=datetime.date(2014, 1, 1),
        wwtp_operating_since=datetime.date(2015, 1, 1),
        wwtp_standard="qcvn40_2011_b",
    )
    cluster.name = "Cụm đi bộ"
    cluster.save()  # a second history row, with no change reason
    InspectionFactory(cluster=cluster, inspected_on=datetime.date(2021, 6, 1))
    market = MarketFactory(code="CHO-DI-BO", district=district("017"))
    MarketProjectFactory(market=market)
    TargetFactory()
    staff = UserFactory(username="nhan-vien", districts=[district("017")])
    staff.groups.add(Group.objects.get(name="District staff"))
    ApiToken.issue(superuser)
    return {"staff": staff}


def admin_pages(client, records) -> list[str]:
    """The admin pages to check: every model's list/add/change/delete/history, import and
    export, and the site-wide pages."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"{name}_changelist"))
        urls.append(reverse(f"{name}_changelist") + "?q=xyz")  # a search with no results
        urls.append(reverse(f"{name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"{name}_{view}", args=[obj.pk]))
            history = getattr(obj, "history", None)
            if history is not None and history.exists():
                with contextlib.suppress(NoReverseMatch):
                    urls.append(
                        reverse(
                            f"{name}_simple_history",
                            args=[obj.pk, history.order_by("history_id").first().pk],
                        )
                    )
        for view in ("import", "export"):
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{name}_{view}"))
    user = records["staff"]
    urls.append(reverse("admin:auth_user_password_change", args=[user.pk]))
    return urls


def test_the_admin_and_the_dashboard_show_no_english_in_vietnamese_mode(client, superuser, records):
    client.force_login(superuser)
    # Chromium's default header: the site must still be Vietnamese.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"
    found: dict[str, list[str]] = {}

    def check(url, response):
        assert response.status_code in {200, 400, 403}, (url, response.status_code)
        html = response.content.decode()
        assert '<html lang="vi"' in html, url
        english = english_on(html)
        if english:
            found[url] = english

    for url in admin_pages(client, records):
        check(url, client.get(url))
    # Forms with errors ("Please correct the errors below.").
    for model in ("clusters_industrialcluster", "markets_market", "auth_user"):
        url = reverse(f"admin:{model}_add")
        check(url + " (POST)", client.post(url, {}))
    url = reverse("admin:password_change")
    check(url + " (POST)", client.post(url, {"old_password": "x"}))
    # The dashboard, at a date and with a bad date.
    for query in ("", "?as_of=31/12/2021", "?as_of=13/13/2020"):
        check("/" + query, client.get("/" + query))
    # The sign-in page and the 404 page, signed out.
    client.logout()
    check("login", client.get(reverse("admin:login")))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not english_on(response.content.decode())

    assert not found, "\n".join(f"{url}: {texts}" for url, texts in found.items())


def test_the_check_finds_english():
    """The detector itself: English catalogue strings and English words are found, Vietnamese
    and record data are not."""
    html = (
        "<p>Please correct the errors below.</p><p>Department staff</p><td>None</td>"
        "<p title='Save and add another'>Thêm</p><p>CCN-NGOC-HOI</p><p>Cụm công nghiệp</p>"
        "<p>AXES</p>"
        "<p>Can add industrial cluster</p><p>JSON parse error - Expecting value: line 1</p>"
        "<option>Cụm công nghiệp | cụm công nghiệp | Can view industrial cluster</option>"
    )
    assert english_on(html) == [
        "AXES",
        "Can add industrial cluster",
        "Cụm công nghiệp | cụm công nghiệp | Can view industrial cluster",
        "Department staff",
        "JSON parse error - Expecting value: line 1",
        "None",
        "Please correct the errors below.",
        "Save and add another",
    ]


def test_the_admin_javascript_strings_are_vietnamese(client, superuser):
    """The selection boxes of the user page and the calendar are drawn by JavaScript from
    the admin's catalogue (jsi18n): every message of it has its Vietnamese."""
    import json

    client.force_login(superuser)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    source = (
        Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    ).read_text(encoding="utf-8")
    # Messages with a context (msgctxt) are keyed "context\x04msgid" in the catalogue.
    blocks = [block for block in source.split("\n\n")[1:] if "msgctxt" not in block]
    missing = []
    for block in blocks:
        msgids = list(po_msgids_of(block))
        if msgids and msgids[0] not in catalogue:
            missing.append(msgids[0])
    assert not missing, missing
    assert catalogue["Choose all %s"] == "Chọn tất cả %s"
    assert re.search(
        r'"DATE_INPUT_FORMATS": \[\s*"%d/%m/%Y"', script
    )  # the calendar writes DD/MM/YYYY
