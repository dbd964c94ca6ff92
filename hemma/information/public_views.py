"""(Being written: issue 7.)"""

from django.http import Http404


def languages(request, *args, **kwargs):
    raise Http404


def image(request, *args, **kwargs):
    raise Http404


def index(request, *args, **kwargs):
    raise Http404


def page(request, *args, **kwargs):
    raise Http404


def file(request, *args, **kwargs):
    raise Http404
