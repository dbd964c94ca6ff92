from django.contrib import admin

from hemma.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read only: a job is made by asking for a report; here one sees why one failed."""

    list_display = ["created_at", "programme", "period", "municipality", "format", "state"]
    list_filter = ["state", "format"]
    list_select_related = ["programme", "municipality"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
