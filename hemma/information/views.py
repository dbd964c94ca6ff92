"""(Being written: issue 7.)"""

from django.http import Http404


def sites(request, *args, **kwargs):
    raise Http404


def site_create(request, *args, **kwargs):
    raise Http404


def site(request, *args, **kwargs):
    raise Http404


def site_edit(request, *args, **kwargs):
    raise Http404


def page_create(request, *args, **kwargs):
    raise Http404


def page(request, *args, **kwargs):
    raise Http404


def page_edit(request, *args, **kwargs):
    raise Http404


def block_add(request, *args, **kwargs):
    raise Http404


def block_edit(request, *args, **kwargs):
    raise Http404


def block_move(request, *args, **kwargs):
    raise Http404


def block_delete(request, *args, **kwargs):
    raise Http404


def file(request, *args, **kwargs):
    raise Http404


def distribution_add(request, *args, **kwargs):
    raise Http404


def distribution_delete(request, *args, **kwargs):
    raise Http404
