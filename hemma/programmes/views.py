from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from hemma.programmes import policies, selectors
from hemma.programmes.interchange.files import EXPORT_FORMATS, export_file


@login_required
def programme_list(request):
    programmes = selectors.programme_list(user=request.user)
    return render(request, "programmes/list.html", {"programmes": programmes})


@login_required
def programme_detail(request, slug: str):
    programme = selectors.programme_page(user=request.user, slug=slug)
    return render(
        request,
        "programmes/detail.html",
        {
            "programme": programme,
            "can_edit": policies.can_edit_programme(request.user, programme),
            # The municipalities whose responsible units this user names (a link per action).
            "units_municipalities": list(
                policies.municipalities_user_names_units_for(request.user, programme)
            ),
            "export_formats": EXPORT_FORMATS,
        },
    )


@login_required
def programme_export(request, slug: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    programme = selectors.programme_get(user=request.user, slug=slug)
    content, content_type, filename = export_file(programme, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
