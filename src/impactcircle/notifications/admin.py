from django.contrib import admin

from impactcircle.notifications.models import DigestDelivery, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "recipient", "category", "message", "read_at", "emailed_at"]
    list_filter = ["category"]
    search_fields = ["recipient__email", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "category", "delivery", "updated_at"]
    list_filter = ["category", "delivery"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin[DigestDelivery]):
    list_display = ["created_at", "user", "frequency", "period", "notification_count"]
    list_filter = ["frequency"]
    search_fields = ["user__email", "period"]
    list_select_related = ["user"]
    readonly_fields = ["user", "frequency", "period", "covered_until", "notification_count"]

    def has_add_permission(self, request: object) -> bool:
        return False
