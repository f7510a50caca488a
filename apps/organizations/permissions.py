"""Who may use the organisations API. Reads are open to any signed-in user and scoped by
`selectors.organizations_visible_to`; only fund administrators write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.core.roles import is_fund_admin


class FundAdminWritesScopedReads(BasePermission):
    """Signed-in users read what the view's queryset lets them see; fund administrators (and superusers) also
    create and change. A change to one object is decided after the object is looked up in the user's scope, so an
    organisation the user cannot see answers 404 whatever the method, and its id cannot be probed."""

    message = "Only fund administrators may register or change organisations."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or is_fund_admin(user):
            return True
        return bool(getattr(view, "detail", False))

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or is_fund_admin(request.user)
