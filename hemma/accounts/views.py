from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def me(request):
    return render(request, "accounts/me.html", {"tokens": request.user.api_tokens.all()})
