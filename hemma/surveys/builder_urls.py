"""Building a programme's surveys: under /<lang>/programmes/<slug>/surveys/
(hemma/surveys/builder_views.py)."""

from django.urls import path

from hemma.surveys import builder_views as views
from hemma.surveys import xlsform_views

_surveys = "programmes/<slug:slug>/surveys/"
_survey = _surveys + "<slug:key>/<str:period>/"
_question = _survey + "questions/<slug:question_key>/"
_choice = _question + "choices/<slug:choice_key>/"

urlpatterns = [
    path(_surveys, views.survey_list, name="list"),
    path(_surveys + "new/", views.survey_create, name="create"),
    path(_surveys + "copy/", views.survey_copy, name="copy"),
    path(_surveys + "import-xlsform/", xlsform_views.survey_import_xlsform, name="xlsform_import"),
    path(_survey, views.survey_detail, name="detail"),
    path(_survey + "edit/", views.survey_edit, name="edit"),
    path(_survey + "open/", views.survey_open, name="open"),
    path(_survey + "close/", views.survey_close, name="close"),
    path(_survey + "preview/", views.survey_preview, name="preview"),
    path(_survey + "translations/<str:language>/", views.survey_translate, name="translate"),
    path(_survey + "codes/", views.survey_codes, name="codes"),
    path(_survey + "xlsform.xlsx", xlsform_views.survey_export_xlsform, name="xlsform_export"),
    path(_survey + "questions/add/", views.question_add, name="question_add"),
    path(_question + "edit/", views.question_edit, name="question_edit"),
    path(_question + "move/", views.question_move, name="question_move"),
    path(_question + "delete/", views.question_delete, name="question_delete"),
    path(_question + "choices/add/", views.choice_add, name="choice_add"),
    path(_choice + "edit/", views.choice_edit, name="choice_edit"),
    path(_choice + "move/", views.choice_move, name="choice_move"),
    path(_choice + "delete/", views.choice_delete, name="choice_delete"),
]
