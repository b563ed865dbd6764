from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from impactcircle.people.models import (
    CauseArea,
    CompanyValue,
    Department,
    DevelopmentGoal,
    Level,
    Profile,
    ProfileSkill,
    Skill,
)
from impactcircle.people.organisation_services import manager_chain_ids
from impactcircle.people.services import skill_merge


class ProfileAdminForm(forms.ModelForm[Profile]):
    class Meta:
        model = Profile
        exclude: list[str] = []

    def clean_manager(self) -> object:
        manager = self.cleaned_data.get("manager")
        person_id = self.instance.user_id
        if manager is None or person_id is None:
            return manager
        if manager.pk == person_id or person_id in manager_chain_ids(manager.pk):
            raise forms.ValidationError("This manager would make the reporting line loop.")
        return manager


class ProfileSkillInline(admin.TabularInline[ProfileSkill, Profile]):
    model = ProfileSkill
    autocomplete_fields = ["skill"]
    extra = 0


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    form = ProfileAdminForm
    list_display = ["user", "job_title", "department", "level", "employment_status"]
    list_filter = ["employment_status", "department", "level", "open_to_mentor"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "job_title"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["user", "department", "level"]
    inlines = [ProfileSkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin[Skill]):
    list_display = ["name", "is_curated", "created_at"]
    list_filter = ["is_curated"]
    search_fields = ["name"]
    actions = ["merge_into_curated"]

    @admin.action(description="Merge the selected skills into the one curated skill among them")
    def merge_into_curated(self, request: HttpRequest, queryset: QuerySet[Skill]) -> None:
        curated = [skill for skill in queryset if skill.is_curated]
        if len(curated) != 1:
            self.message_user(
                request, "Select exactly one curated skill to merge into.", messages.ERROR
            )
            return
        target = curated[0]
        merged = 0
        for source in queryset.exclude(pk=target.pk):
            skill_merge(actor=request.user, source=source, target=target, request=request)  # type: ignore[arg-type]  # admin users are Users
            merged += 1
        self.message_user(
            request, f"Merged {merged} skill(s) into {target.name}.", messages.SUCCESS
        )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "parent"]
    search_fields = ["name"]


admin.site.register(Level)
admin.site.register(CompanyValue)
admin.site.register(CauseArea)
admin.site.register(DevelopmentGoal)
