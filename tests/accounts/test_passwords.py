"""The password policy: 12 to 256 characters, nothing known or guessable, no composition rules."""

from __future__ import annotations

import pytest

from accounts.passwords import (
    LIST_PATH,
    PasswordRejected,
    check_password,
    common_passwords,
    is_run,
    repeats_a_piece,
)

LISTED = "breached or common"
RUN = "repeated or straight run"
PERSONAL = "built on your email"


def reason(password: str, email: str | None = None) -> str | None:
    try:
        check_password(password, email)
    except PasswordRejected as err:
        return str(err)
    return None


def test_the_bundled_list_is_the_one_its_sources_file_names():
    listed = common_passwords()
    assert len(listed) == 19_640
    assert {"123456", "password", "qwerty123456", "1q2w3e4r5t6y"} <= listed
    assert all(p == p.lower() for p in listed)
    assert "29ca0fa5303165f0" in (LIST_PATH.parent / "SOURCES.md").read_text()


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("x7#Kp2!vQ9z", False),  # 11 characters
        ("x7#Kp2!vQ9zR", True),  # 12
        ("w" + "x7#Kp2!vQ9zR" * 21 + "abc", True),  # 256
        ("w" + "x7#Kp2!vQ9zR" * 21 + "abcd", False),  # 257
    ],
)
def test_length_from_12_to_256(password, accepted):
    assert len(password) in (11, 12, 256, 257)
    assert (reason(password) is None) is accepted


def test_too_short_says_the_minimum():
    assert reason("short one") == "the password needs at least 12 characters"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",  # a passphrase, all lower case
        "ti amo tanto, mia cara",  # spaces and punctuation
        "Zürich Öl façade naïve",  # accents
        "我的密码很长很长很长很长",  # any script
        "glossy-otter-lantern-42",
    ],
)
def test_long_passphrases_need_no_digits_or_capitals(password):
    assert reason(password) is None


@pytest.mark.parametrize(
    "password",
    [
        "qwerty123456",  # on the list as is
        "QWERTY123456",  # any case
        "1q2w3e4r5t6y",
        "monkey2024!!!",  # a listed password padded with digits and symbols
        "!!dragon123456",
        "pass word 1234",  # "password1234" with a space
        "iloveyou12345678",
        "Password-2024-01",
    ],
)
def test_breached_and_common_passwords_are_refused(password):
    assert LISTED in reason(password)


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "passwordpassword",
        "!!!!!!!!!!!!",
        "abcdefghijklm",
        "zyxwvutsrqpon",
        "123456789012",
        "987654321098",
        "qwertyuiopasdfgh",
        "mnbvcxzlkjhgf",
    ],
)
def test_repeats_and_runs_are_refused(password):
    assert reason(password) is not None


def test_repeat_and_run_rules_themselves():
    assert repeats_a_piece("abab") and not repeats_a_piece("abba") and not repeats_a_piece("a")
    assert is_run("abcd") and is_run("dcba") and is_run("7890123") and is_run("asdfghjk")
    assert not is_run("abce") and not is_run("ab") and not is_run("qwe rt")


def test_passwords_built_on_the_email_or_the_service_are_refused():
    assert PERSONAL in reason("jane.doe says hello", "jane.doe@clinic.example")
    assert PERSONAL in reason("JaneDoe forever and ever", "jane.doe@clinic.example")
    assert PERSONAL in reason("my clinic staff login", "jd@clinic.example")
    assert PERSONAL in reason("bh-directory sign in now")
    # Short names are too common a substring to refuse on.
    assert reason("tall ships at dawn", "al@sea.example") is None


def test_the_message_is_shown_to_whoever_creates_a_user(app, auth):
    from accounts.users import AccountError

    with pytest.raises(AccountError, match="breached or common"):
        auth.create_user("pcp", password="qwerty123456")
