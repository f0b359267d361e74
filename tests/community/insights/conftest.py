import pytest

from tests.community.insights.insights_helpers import (
    add_board,
    add_page,
    empty_insights,
)


@pytest.fixture
def page(db):
    """A test-app page with comments, on an empty slate of insights."""
    empty_insights()
    return add_page()


@pytest.fixture
def board(page):
    return add_board()
