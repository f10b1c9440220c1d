"""The clamd INSTREAM client: verdicts, chunking, failing closed when the daemon is not there."""

import socket

import pytest

from referrals.virus_scan import (
    CHUNK,
    ScannerUnavailable,
    check_configured_address,
    parse_address,
    scan,
    verdict,
)
from tests.referrals.fake_clamd import EICAR, clamd, clamd_unix  # noqa: F401 (fixtures)


def test_a_clean_file_is_clean_and_sent_whole(clamd):  # noqa: F811
    data = b"%PDF-1.7\n" + b"x" * (CHUNK * 2 + 17)  # three chunks, the last one short
    found = scan(data, clamd.address, 5)
    assert found.clean and found.signature is None
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [data]


def test_the_eicar_test_file_is_flagged_with_its_signature(clamd):  # noqa: F811
    found = scan(b"note\n" + EICAR + b"\n", clamd.address, 5)
    assert not found.clean
    assert found.signature == "Eicar-Test-Signature"


def test_a_unix_socket_daemon_answers_too(clamd_unix):  # noqa: F811
    assert scan(EICAR, clamd_unix.address, 5).signature == "Eicar-Test-Signature"
    assert scan(b"hello", clamd_unix.address, 5).clean


def test_a_file_over_the_daemons_limit_is_not_vouched_for(clamd):  # noqa: F811
    clamd.limit = 100
    with pytest.raises(ScannerUnavailable, match="size limit exceeded"):
        scan(b"y" * 101, clamd.address, 5)


def test_a_daemon_that_never_answers_times_out(clamd):  # noqa: F811
    clamd.silent = True
    with pytest.raises(ScannerUnavailable, match="did not answer"):
        scan(b"hello", clamd.address, 0.3)


def test_nothing_listening_is_unavailable():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ScannerUnavailable, match="did not answer"):
        scan(b"hello", f"tcp://127.0.0.1:{port}", 1)


BAD_ADDRESSES = [
    "127.0.0.1:3310",  # no scheme
    "tcp://127.0.0.1",  # no port
    "tcp://127.0.0.1:0",
    "tcp://clamav:65536",  # past the last port
    "tcp://clamav:33l0",  # not a number
    "tcp://:3310",  # no host
    "http://x:1",
    "unix://clamd.ctl",  # a host, not a path: unix:///path has three slashes
    "unix://",
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_an_address_of_another_form_is_refused(address):
    with pytest.raises(ScannerUnavailable, match="CLAMD_ADDRESS must be"):
        scan(b"hello", address, 1)


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_a_malformed_address_stops_start_up(address, database_url):
    from app import create_app

    config = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x", "CLAMD_ADDRESS": address}
    with pytest.raises(ValueError, match="CLAMD_ADDRESS must be tcp://host:port or unix:///path"):
        create_app(config)


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("tcp://clamav:3310", ("tcp", "clamav", 3310)),
        ("tcp://127.0.0.1:1", ("tcp", "127.0.0.1", 1)),
        ("tcp://[::1]:65535", ("tcp", "::1", 65535)),
        ("unix:///run/clamav/clamd.ctl", ("unix", "/run/clamav/clamd.ctl", None)),
    ],
)
def test_well_formed_addresses(address, target):
    parts = parse_address(address)
    where = parts.path if parts.scheme == "unix" else parts.hostname
    assert (parts.scheme, where, parts.port) == target
    check_configured_address({"CLAMD_ADDRESS": address})


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_parsing_refuses_what_start_up_refuses(address):
    with pytest.raises(ValueError, match="CLAMD_ADDRESS must be tcp://host:port or unix:///path"):
        parse_address(address)


@pytest.mark.parametrize("address", [None, ""])
def test_unset_is_not_checked(address):
    check_configured_address({"CLAMD_ADDRESS": address})


@pytest.mark.parametrize(
    ("reply", "signature"),
    [("stream: OK", None), ("stream: Win.Test.EICAR_HDB-1 FOUND", "Win.Test.EICAR_HDB-1")],
)
def test_replies_that_are_verdicts(reply, signature):
    assert verdict(reply).signature == signature


@pytest.mark.parametrize("reply", ["", "stream: ", "OK", "stream: OK FOUND extra", "PONG"])
def test_replies_that_are_not_verdicts(reply):
    with pytest.raises(ScannerUnavailable):
        verdict(reply)
