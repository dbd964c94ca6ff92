"""The public site (placeholder until written)."""


def index(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def programme(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def indicator(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def indicator_chart(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def municipality(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def period(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this


def matrix(request, *args, **kwargs):
    raise NotImplementedError  # the public site's helper writes this
