"""(Being written: issue 7.)"""

from django.http import Http404


def translations(request, *args, **kwargs):
    raise Http404


def version(request, *args, **kwargs):
    raise Http404


def version_publish(request, *args, **kwargs):
    raise Http404


def version_withdraw(request, *args, **kwargs):
    raise Http404


def preview(request, *args, **kwargs):
    raise Http404
