"""Admin building blocks every app shares."""

from unfold.admin import ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    """Rows that only the services write: listed and shown, never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
