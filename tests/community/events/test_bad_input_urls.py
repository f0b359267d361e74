"""Numbers too big for the database in the events' URLs are a 404."""

import pytest

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["tickets/{n}/", "check-in/{n}/", "check-in/{n}/scan/"]
)
def test_a_huge_number_is_not_found(client, path):
    client.force_login(MemberFactory())
    response = client.get("/en/community/events/" + path.format(n="9" * 30))
    assert response.status_code == 404
