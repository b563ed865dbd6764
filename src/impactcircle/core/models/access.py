"""Roles a person holds on one object (manager of this programme, moderator of this space)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ObjectRole(models.Model):
    """`user` holds `role` on the object (`content_type`, `object_id`).

    Granted and revoked only through `core.access.object_role_grant` / `object_role_revoke`,
    which audit every change. Global roles (administrator, programme manager) live elsewhere.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="object_roles"
    )
    role = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["content_type", "object_id", "role", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "content_type", "object_id", "user"],
                name="core_unique_object_role",
            )
        ]
        indexes = [
            models.Index(fields=["user", "role", "content_type"]),
            models.Index(fields=["content_type", "object_id", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.content_type.model} {self.object_id}: user {self.user_id}"
