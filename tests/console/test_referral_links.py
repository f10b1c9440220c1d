"""/referrals/<id>, the link in notice emails, opens the referral on the reader's own pages."""


def test_the_referring_pcp_lands_on_the_pcp_referral_page(sent_referral):
    response = sent_referral.pcp.get(f"/referrals/{sent_referral.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/pcp/referrals/{sent_referral.id}"
    assert sent_referral.pcp.get(response.headers["Location"]).status_code == 200


def test_the_receiving_clinician_lands_on_the_inbox_referral_page(sent_referral, signed_in, world):
    clinician = signed_in("clinician", npi=world.ana.npi)

    response = clinician.get(f"/referrals/{sent_referral.id}")

    assert response.headers["Location"] == f"/clinician/referrals/{sent_referral.id}"
    assert clinician.get(response.headers["Location"]).status_code == 200


def test_anonymous_readers_sign_in_first(client, sent_referral):
    response = client.get(f"/referrals/{sent_referral.id}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_an_api_key_gets_no_page(client, sent_referral, make_api_key, world):
    key = make_api_key(world.pcp_org, scopes=("referrals:read",))

    response = client.get(
        f"/referrals/{sent_referral.id}", headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 403
