import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "/openreferral/services?search=walk%00ing",
        "/openreferral/services/abc%00def",
        "/support/?round=spring%00",
        "/rounds/?q%00=walk",
    ],
)
def test_a_nul_character_in_an_address_is_a_bad_request_not_a_server_error(address):
    response = Client(raise_request_exception=False).get(address)

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_every_page_sends_a_policy_that_runs_only_the_products_own_scripts_and_styles():
    response = Client().get("/rounds/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )

    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    nonce = policy["script-src"].removeprefix("'self' 'nonce-").removesuffix("'")
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    inline = [tag for tag in scripts if "src=" not in tag]
    # The base layout's two start-up scripts carry this response's nonce; nothing else is
    # inline, so nothing else runs unless it comes from the product's own files.
    assert len(inline) == 2
    assert all(f'nonce="{nonce}"' in tag for tag in inline)
