"""Why a delivery failed, in words safe to keep (no address, no message text)."""


class DeliveryError(Exception):
    """The channel did not take the message; the text is an error type or an HTTP status."""
