from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from impactcircle.core.models import (
    AuditEvent,
    EventDelivery,
    OutboxEvent,
    PeriodicJobState,
    WorkerHeartbeat,
)


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


class DeliveryStateColumn:
    """The delivery's state in words (pending, retrying after an error, handled, gave up)."""

    @admin.display(description="state")
    def state_label(self, delivery: EventDelivery) -> str:
        return str(delivery.state.label)


class EventDeliveryInline(DeliveryStateColumn, admin.TabularInline[EventDelivery, OutboxEvent]):
    model = EventDelivery
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "subscriber", "state_label", "attempts", "next_attempt_at", "handled_at", "last_error",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest, obj: OutboxEvent | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxEvent | None = None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin[OutboxEvent]):
    """Read-only: published events and, inline, what each subscriber made of them."""

    list_display = ["id", "name", "occurred_at", "published_at", "dispatched_at"]
    list_filter = ["name"]
    search_fields = ["name"]
    date_hierarchy = "occurred_at"
    readonly_fields = ["name", "payload", "occurred_at", "published_at", "dispatched_at"]
    inlines = [EventDeliveryInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxEvent | None = None) -> bool:
        return False


class DeliveryStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [(state.value, str(state.label)) for state in EventDelivery.State]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[EventDelivery]
    ) -> QuerySet[EventDelivery]:
        waiting = {"handled_at__isnull": True, "gave_up_at__isnull": True}
        match self.value():
            case EventDelivery.State.HANDLED:
                return queryset.filter(handled_at__isnull=False)
            case EventDelivery.State.GAVE_UP:
                return queryset.filter(handled_at__isnull=True, gave_up_at__isnull=False)
            case EventDelivery.State.RETRYING:
                return queryset.filter(**waiting, attempts__gt=0)
            case EventDelivery.State.PENDING:
                return queryset.filter(**waiting, attempts=0)
        return queryset


@admin.register(EventDelivery)
class EventDeliveryAdmin(DeliveryStateColumn, admin.ModelAdmin[EventDelivery]):
    """Read-only: each subscriber's attempts at each event, the next try and the last error."""

    list_display = [
        "id", "event", "subscriber", "state_label", "attempts", "next_attempt_at", "handled_at",
        "gave_up_at",
    ]  # fmt: skip
    list_filter = [DeliveryStateFilter, "subscriber"]
    list_select_related = ["event"]
    search_fields = ["subscriber", "event__name", "last_error"]
    readonly_fields = [
        "event", "subscriber", "state_label", "attempts", "next_attempt_at", "last_error",
        "handled_at", "gave_up_at", "replayed_at", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: EventDelivery | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EventDelivery | None = None) -> bool:
        return False
