"""Addresses of answering a survey, outside the language prefix (/s/…, hemma/urls.py).

    /s/<token>/                        the survey's languages, to choose from
    /s/<token>/<language>/             the survey in that language; POST sends the answer
    /s/<token>/<language>/thanks/      after sending
    /s/<token>/<code>/…                the same through a municipality's link (its 3-digit code)

A municipality's code is three digits and a language's code letters, so the two never meet.
Any other address under /s/ is this app's 404, which sets no cookie.
"""

from django.urls import re_path

from hemma.surveys import answer_views as views

_SURVEY = r"^(?P<token>[-\w]+)/"
_MUNICIPALITY = r"(?P<code>[0-9]{3})/"
_LANGUAGE = r"(?P<language>[a-z]{2,3})/"

app_name = "answer"
urlpatterns = [
    re_path(_SURVEY + "$", views.choose, name="choose"),
    re_path(_SURVEY + _LANGUAGE + "$", views.form, name="form"),
    re_path(_SURVEY + _LANGUAGE + "thanks/$", views.thanks, name="thanks"),
    re_path(_SURVEY + _MUNICIPALITY + "$", views.choose, name="choose-municipality"),
    re_path(_SURVEY + _MUNICIPALITY + _LANGUAGE + "$", views.form, name="form-municipality"),
    re_path(
        _SURVEY + _MUNICIPALITY + _LANGUAGE + "thanks/$", views.thanks, name="thanks-municipality"
    ),
    re_path(r"^.*$", views.not_found),
]
