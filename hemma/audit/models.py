from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change, written by the service that made it, in the same transaction.

    `changes` maps a field to `[old, new]`. `target_type` and `target_id` name the changed
    object ("programmes.action", its primary key); `programme_id` lets a programme's whole
    history be read without joins.
    """

    class Verb(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("removed")
        MOVE = "move", _("moved")
        IMPORT = "import", _("imported")
        APPROVE = "approve", _("approved")
        UNLOCK = "unlock", _("unlocked")
        ERASE = "erase", _("erased")
        ANONYMISE = "anonymise", _("anonymised")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept when the user is deleted, so the trail still says who.
    actor_name = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=16, choices=Verb.choices)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=300, blank=True)
    programme_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            # An action's history page.
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["programme_id", "-created_at"], name="audit_programme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or '-'} {self.verb} {self.target_type} {self.target_repr}"
