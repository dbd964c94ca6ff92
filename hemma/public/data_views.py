"""Open data (placeholder until written)."""


def data_page(request, *args, **kwargs):
    raise NotImplementedError


def programme_file(request, *args, **kwargs):
    raise NotImplementedError


def municipality_file(request, *args, **kwargs):
    raise NotImplementedError
