"""Reports from the web (placeholder until written)."""


def report_list(request, *args, **kwargs):
    raise NotImplementedError


def report_detail(request, *args, **kwargs):
    raise NotImplementedError


def report_download(request, *args, **kwargs):
    raise NotImplementedError
