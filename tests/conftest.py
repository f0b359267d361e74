import io

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def demo_site_data(django_db_setup, django_db_blocker):
    """The demo company site, loaded once for the whole test session."""
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("load_demo_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_site(demo_site_data, db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def editor(demo_site, django_user_model):
    return django_user_model.objects.get(username="editor")
