"""What the queue's use cases refuse."""


class ItemNotFound(LookupError):
    """No such item, or not one this actor may see (the two look the same on purpose)."""


class ListingNotFound(LookupError):
    """No active listing with that NPI or id."""


class AlreadyResolved(ValueError):
    """The item is closed; a closed item is not reopened, a new report opens a new one."""


class NotStaff(ValueError):
    """The chosen owner is not an active staff account."""
