"""People and API tokens in the back office, in the unfold theme like the ledger's pages.

Django's and DRF's own admins are registered with the stock ModelAdmin; they are re-registered here with unfold's,
keeping their behaviour (password forms, token lookups by user) and unfold's forms and widgets.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.admin import TokenChangeList as BaseTokenChangeList
from rest_framework.authtoken.models import TokenProxy
from unfold.admin import ModelAdmin
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from unfold.views import ChangeList

User = get_user_model()

for model in (User, Group, TokenProxy):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_superuser", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass


class TokenChangeList(ChangeList):
    """Unfold's change list, with DRF's mapping from a token row to its user's id."""

    url_for_result = BaseTokenChangeList.url_for_result


@admin.register(TokenProxy)
class TokenAdmin(BaseTokenAdmin, ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return TokenChangeList
