"""The site header names the account link by whether someone is signed in."""

from __future__ import annotations


def _account_link(response) -> str:
    page = response.get_data(as_text=True)
    nav = page[page.index('<nav aria-label="Site">') : page.index("</nav>")]
    return nav.split('href="/account">')[1].split("</a>")[0]


def test_a_visitor_sees_staff_sign_in(client):
    assert _account_link(client.get("/find")) == "Staff sign-in"


def test_a_signed_in_user_sees_their_account_not_a_sign_in_offer(client, auth):
    auth.login_as("pcp")
    assert _account_link(client.get("/find")) == "Your account"
