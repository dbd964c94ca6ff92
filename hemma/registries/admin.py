from django.contrib import admin

from hemma.registries.models import Activity, ServiceStatistic


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """For a superuser's look at the records. Changes belong in the web pages or the API: they
    go through hemma.registries.services, which audits them and counts the computed values
    again; a change saved here would do neither, so the admin only reads."""

    list_display = ["title", "kind", "region", "starts_on", "ends_on", "participants"]
    list_filter = ["kind", "region"]
    search_fields = ["title", "note"]
    date_hierarchy = "starts_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceStatistic)
class ServiceStatisticAdmin(admin.ModelAdmin):
    """Read only, as the activities: changes go through hemma.registries.services, which
    audits them and counts the indicators that take the statistics again."""

    list_display = ["municipality", "period", "measure", "value", "source", "updated_at"]
    list_filter = ["measure", "period", "region"]
    search_fields = ["municipality__code", "source", "note"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
