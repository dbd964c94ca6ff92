from django.contrib import admin

from hemma.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_name", "verb", "target_type", "target_repr"]
    list_filter = ["verb", "target_type"]

    # The trail is written by services only; nobody edits history.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
