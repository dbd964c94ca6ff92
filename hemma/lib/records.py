"""Finding a record by the UUID code it is addressed by in URLs and the API."""

import uuid
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def by_code(records: QuerySet[M], code: uuid.UUID | str) -> M:
    """The record of `records` with this code; Http404 when there is none, or when `code` is
    no UUID at all (an address typed wrong is not found, never an error)."""
    try:
        code = code if isinstance(code, uuid.UUID) else uuid.UUID(str(code))
    except ValueError:
        raise Http404 from None
    found = records.filter(code=code).first()
    if found is None:
        raise Http404
    return found
