from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from labour_office.offices.models import Post, Role, User


class StaffForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    post = forms.ChoiceField(label=_("Post"), choices=[("", "---------"), *Post.choices])
    is_customer_advisor = forms.BooleanField(
        label=_("Customer advisor (doradca klienta)"),
        required=False,
        help_text=_("Only customer advisors can be given clients."),
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [(r.value, r.label) for r in roles]


class StaffCreateForm(StaffForm):
    username = UsernameField(label=_("Login"), max_length=150)
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("The person must change it at first sign-in."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "post",
        "is_customer_advisor",
        "role",
        "password1",
        "password2",
    ]

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"] = forms.ModelChoiceField(label=_("Office"), queryset=offices)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login is already taken."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            probe = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong login or password. Both are case-sensitive."),
    }
    username = UsernameField(label=_("Login"), widget=forms.TextInput(attrs={"autofocus": True}))


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app (or, to sign in, a recovery code)."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the code.")},
    )

    def __init__(self, *args: Any, recovery: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if recovery:
            self.fields["otp_token"].help_text = _(
                "Six digits from your authenticator app, or one of your recovery codes."
            )
        else:
            self.fields["otp_token"].help_text = _("Six digits from your authenticator app.")


class OfficeSecurityForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor login for managers and administrators"),
        required=False,
    )
