"""National Provider Identifier check digit (Luhn over the 80840 prefix)."""

import re

_NPI = re.compile(r"^\d{10}$")
# CMS: the Luhn check is computed over the 9 digits prefixed by the card issuer code 80840.
_PREFIX_SUM = 24


def npi_check_digit(first_nine: str) -> int:
    """The check digit for the first nine NPI digits."""
    total = _PREFIX_SUM
    for i, ch in enumerate(reversed(first_nine)):
        digit = int(ch)
        if i % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def is_valid_npi(value: str | None) -> bool:
    """True for a 10-digit NPI whose last digit is the Luhn check digit."""
    if not value or not _NPI.match(value):
        return False
    return npi_check_digit(value[:9]) == int(value[9])


def npi_error(value: str | None) -> str | None:
    """A human reason why `value` is not an NPI, or None when it is one."""
    if not value:
        return "NPI is missing"
    if not _NPI.match(value):
        return f"NPI {value!r} is not 10 digits"
    if not is_valid_npi(value):
        return f"NPI {value} fails the check digit"
    return None
