from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from coach.models import Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "role", "is_staff"]
    list_filter = ["role", "is_staff", "is_superuser", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Role", {"fields": ["role"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Role", {"fields": ["role"]}),)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["coach", "email", "note", "created_at", "expires_at", "used_at", "used_by"]
    list_filter = ["used_at"]
    search_fields = ["coach__username", "email", "note"]
    readonly_fields = ["token", "created_at", "used_at", "used_by"]
    raw_id_fields = ["coach"]
