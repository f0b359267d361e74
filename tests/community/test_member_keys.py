"""A member's profile key is an id (ASCII digits) or a username; anything else
is a 404, never a 500 (issue 20, item 2)."""

import pytest

from tests.factories import UserFactory

URL = "/en/community/members/{}/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [
        "%00",
        "a%00b",
        "%C2%B2",  # "²": isdigit() is true, int() fails
        "%E2%85%AB",  # "Ⅻ"
        "%F0%9D%9F%97",  # "𝟗", a mathematical digit nine
        "%FF%FE",  # not UTF-8
        "9" * 20,  # beyond a 64-bit id
        "9" * 5_000,  # beyond int()'s 4,300 digits
        "x" * 10_000,
        "-1",
        "1e3",
        "%20",
    ],
)
def test_keys_that_name_nobody(client, key):
    UserFactory()
    assert client.get(URL.format(key)).status_code == 404


@pytest.mark.django_db
def test_an_id_in_other_digits_is_not_that_id(client):
    member = UserFactory()
    arabic = str(member.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert int(arabic) == member.pk  # what the old parser would have looked up
    assert client.get(URL.format(arabic)).status_code == 404
    assert client.get(URL.format(member.pk)).status_code == 200


@pytest.mark.django_db
def test_an_id_beyond_the_column_range(client):
    assert client.get(URL.format(2**31)).status_code == 404
    assert client.get(URL.format(2**63)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["²", "١٢", "9" * 30])
def test_usernames_that_look_like_numbers(client, username):
    """A username of unicode digits, or of more digits than any id, is found by
    name: the id parser neither fails on it nor takes it for an id."""
    member = UserFactory(username=username)
    response = client.get(URL.format(username))
    assert response.status_code == 200
    assert response.context["member"] == member


@pytest.mark.django_db
def test_ids_and_names_still_work(client):
    member = UserFactory(username="lin-yue")
    for key in (member.pk, "lin-yue"):
        response = client.get(URL.format(key))
        assert response.status_code == 200
        assert response.context["member"] == member
