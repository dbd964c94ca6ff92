"""The public API (placeholder until written)."""

from ninja import Router

router = Router(tags=["public"], auth=None)
