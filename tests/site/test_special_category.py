"""Every page, export and PDF that shows special-category (health) data to anyone but the
person writes exactly one audit row. A page "shows" it when a query during the request reads
a field listed in an app's privacy.py SPECIAL_CATEGORY (tests/site/crawler.py watches the
SQL), so pages that land later are checked without editing this file."""

from kotove.personal_data import registry

from .conftest import SITE
from .crawler import special_category_markers

pytestmark = SITE

HOW = (
    "call kotove.services.audit_view(request=request, action=..., shown=[the records shown]) "
    "once in the view; if the page shows only the viewer's own data, add its URL name to "
    "SELF_VIEWS in the app's privacy.py with the reason; if it reads the data without showing "
    "it, don't read it (prefetch it only for what the page shows)."
)


def test_views_showing_special_category_data_write_one_audit_row(site):
    self_views = registry().self_views
    problems = [
        f"{visit.role} GET {visit.url} ({visit.name}) read special-category data and wrote "
        f"{visit.audit_rows} audit rows"
        for visit in site.visits
        if visit.special and visit.name not in self_views and visit.audit_rows != 1
    ]
    assert not problems, "\n".join(problems) + "\n\nFix: " + HOW


def test_the_watch_sees_the_expert_page(site):
    assert '"pankki_expert_themes"' in special_category_markers()
    pages = [v for v in site.visits if v.name == "pankki:expert" and v.status == 200]
    assert pages and all(v.special and v.audit_rows == 1 for v in pages)
