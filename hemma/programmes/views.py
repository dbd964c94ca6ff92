from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from hemma.programmes import policies, selectors


@login_required
def programme_list(request):
    programmes = selectors.programme_list(user=request.user)
    return render(request, "programmes/list.html", {"programmes": programmes})


@login_required
def programme_detail(request, slug: str):
    programme = selectors.programme_table(user=request.user, slug=slug)
    return render(
        request,
        "programmes/detail.html",
        {"programme": programme, "can_edit": policies.can_edit_programme(request.user, programme)},
    )
