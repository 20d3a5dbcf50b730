"""Admin for API tokens: list (never the keys), revoke, rotate, and a *New API account* page
that makes another department's account and its token in one step (``registry.api_accounts``).

Department officers (``registry.api_accounts.may_manage_api_accounts``) and superusers get in;
an officer sees and manages the tokens of API accounts (not of staff accounts). A key is shown
once, on the page that follows its making.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from registry.api_accounts import READ, WRITE, create_api_account, may_manage_api_accounts
from registry.models import District
from registry.tokens import ApiToken


class ApiAccountForm(forms.Form):
    username = forms.CharField(
        label=_("account name"),
        max_length=150,
        help_text=_("For example so-tai-nguyen. Letters, digits and @ . + - _ only."),
    )
    full_name = forms.CharField(label=_("department or system"), max_length=150, required=False)
    level = forms.ChoiceField(
        label=_("access"),
        choices=[(READ, _("read only")), (WRITE, _("read and write"))],
        initial=READ,
        widget=forms.RadioSelect,
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("districts"),
        queryset=District.objects.all(),
        required=False,
        help_text=_("Leave empty for every district."),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError(_("An account with this name already exists."))
        return username


def show_keys(request, issued: list[tuple[ApiToken, str]]):
    """The page that shows new keys, once."""
    response = TemplateResponse(
        request,
        "admin/registry/apitoken/keys.html",
        {
            **admin.site.each_context(request),
            "title": _("New API token"),
            "issued": issued,
            "changelist_url": reverse("admin:registry_apitoken_changelist"),
        },
    )
    response["Cache-Control"] = "no-store"  # a key never sits in a cache
    return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke", "rotate"]

    # -- who --------------------------------------------------------------------------------

    def has_module_permission(self, request):
        return may_manage_api_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return may_manage_api_accounts(request.user)

    def has_add_permission(self, request):
        return may_manage_api_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_api_accounts(request.user) and request.user.has_perm(
            "registry.change_apitoken"
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay listed: who had access, and until when

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # An officer manages other departments' accounts, not staff or superusers.
            queryset = queryset.filter(user__is_staff=False, user__is_superuser=False)
        return queryset

    # -- making ------------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "new-account/",
                self.admin_site.admin_view(self.new_account_view),
                name="registry_apitoken_new_account",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.new_account_view(request)

    def new_account_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiAccountForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                _user, token, key = create_api_account(
                    data["username"],
                    data["level"],
                    districts=list(data["districts"]),
                    full_name=data["full_name"],
                    actor=request.user,
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not grant these rights."))
            except ValidationError as error:
                form.add_error("username", error)
            else:
                return show_keys(request, [(token, key)])
        return TemplateResponse(
            request,
            "admin/registry/apitoken/new_account.html",
            {
                **self.admin_site.each_context(request),
                "title": _("New API account"),
                "form": form,
                "opts": self.model._meta,
            },
        )

    # -- actions -----------------------------------------------------------------------------

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(
            request, _("%(count)d token(s) revoked.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(
        description=_("Rotate the selected tokens (revoke, and issue new keys)"),
        permissions=["change"],
    )
    def rotate(self, request, queryset):
        issued = [token.rotate() for token in queryset.filter(revoked_at__isnull=True)]
        if not issued:
            self.message_user(request, _("No active token was selected."), messages.WARNING)
            return None
        return show_keys(request, issued)
