"""The surveys in Django's admin, for a superuser's repairs; coordinators build them on the
survey pages (hemma/surveys/builder_views.py). Answers and invitation codes are not shown:
they are counted on the results pages, and a code is only a hash."""

from django.contrib import admin

from hemma.surveys.models import Choice, Question, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["key", "period", "programme", "state", "invitation_only"]
    list_filter = ["state", "programme"]
    readonly_fields = ["public_token", "translated_from", "previous"]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    readonly_fields = ["translated_from"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "survey", "kind", "position"]
    list_filter = ["survey__programme", "kind"]
    readonly_fields = ["translated_from"]
    inlines = [ChoiceInline]
