from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_demo", "last_login"]
    list_filter = ["is_active", "is_demo", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleInline]
    fieldsets = BaseUserAdmin.fieldsets + (("dangvu", {"fields": ["full_name", "is_demo"]}),)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "organization", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name", "organization__code"]
    autocomplete_fields = ["user", "organization"]
