from django.contrib import admin

from hemma.programmes.models import Action, Indicator, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "region", "period_start", "period_end", "status"]
    list_filter = ["status", "region"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["key", "programme", "goal"]
    list_filter = ["programme"]
    inlines = [IndicatorInline]
