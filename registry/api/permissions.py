"""Who may call what: authenticated accounts with the model permission (the view permission
for reads). Which records they see is decided by registry.scoping in the views."""

from rest_framework.permissions import BasePermission, DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, reads included (``view_<model>`` for GET/HEAD/OPTIONS)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def _queryset(self, view):
        # The class-level queryset names the model; get_queryset() would parse query
        # parameters (as_of) before the caller is known to be allowed at all.
        return view.queryset


class HasViewPermissions(BasePermission):
    """For read-only views over computed figures: ``view.required_permissions`` all held."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return user.has_perms(view.required_permissions)
