from django.contrib import admin
from django.http import HttpRequest

from impactcircle.core.models import AuditEvent, PeriodicJobState, WorkerHeartbeat


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log can be searched and read, never edited."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_label",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_label", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at", "actor", "actor_label", "action", "object_type", "object_id",
        "object_label", "ip_address", "details",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["worker_id", "seen_at"]


@admin.register(PeriodicJobState)
class PeriodicJobStateAdmin(admin.ModelAdmin[PeriodicJobState]):
    """When each periodic job last ran; read-only, the workers keep it."""

    list_display = ["name", "last_slot", "last_enqueued_at"]
    readonly_fields = ["name", "last_slot", "last_enqueued_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
