from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from impactcircle.accounts.models import AccessToken, Invitation, SignupPolicy, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(SignupPolicy)
class SignupPolicyAdmin(admin.ModelAdmin[SignupPolicy]):
    list_display = ["mode", "allowed_domains", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SignupPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: SignupPolicy | None = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "invited_by", "created_at", "accepted_at"]
    search_fields = ["email"]
    readonly_fields = ["invited_by", "accepted_at"]

    def save_model(self, request: HttpRequest, obj: Invitation, form: object, change: bool) -> None:
        if not change:
            obj.invited_by = request.user  # type: ignore[assignment]  # admin users are Users
        super().save_model(request, obj, form, change)


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin[AccessToken]):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "secret_hash", "expires_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
