from allauth.account import forms as account_forms
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.mfa.base import forms as second_factor_forms
from allauth.mfa.totp import forms as authenticator_app_forms
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import password_validation
from django.core import validators

from athletes.forms.settings import TimeZoneField
from athletes.models import Athlete
from coach.models import Invitation, User

LOGIN_MAX_LENGTH = 254  # an email address's longest (allauth's EMAIL_MAX_LENGTH)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "note"]
        labels = {"email": "Athlete's email (optional)", "note": "Note to yourself (optional)"}
        help_texts = {"note": "e.g. their name, so you know whose link this is."}


class LoginForm(account_forms.LoginForm):
    """allauth's login form, with one box that takes a username or an email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email"
        # No username or address is longer; the failure log (axes) keeps at most 255.
        login.max_length = LOGIN_MAX_LENGTH
        login.validators.append(validators.MaxLengthValidator(LOGIN_MAX_LENGTH))
        login.widget.attrs.update(
            {
                "autocomplete": "username",
                "autocapitalize": "none",
                "placeholder": "",
                "maxlength": str(LOGIN_MAX_LENGTH),
            }
        )
        self.fields["password"].widget.attrs["placeholder"] = ""


class CoachSignupForm(account_forms.SignupForm):
    """A new coach's account: their name (which their athletes see on the invitation), an
    email address to verify, an optional username and a password. The coach role is given by
    coach.adapters.AccountAdapter.save_user."""

    first_name = forms.CharField(
        label="First name", max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    field_order = ["first_name", "last_name", "email", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username (optional)"
        self.fields["username"].help_text = "You can always log in with your email address too."
        self.fields["username"].widget.attrs["autocapitalize"] = "none"
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class SecondFactorForm(second_factor_forms.AuthenticateForm):
    """allauth's code form at sign-in. Wrong codes count with wrong passwords, against the same
    account and address (coach/signals.py hands them to axes), so a stolen password does not
    buy unlimited guesses at the code; a locked account is answered with the same 429 page."""

    def clean_code(self):
        request = context.request
        credentials = {"username": self.user.username}
        if AxesProxyHandler.is_locked(request, credentials):
            # The lockout middleware answers with the 429 page instead of this form.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise forms.ValidationError("Too many failed attempts.", code="locked_out")
        return super().clean_code()


class AuthenticatorAppForm(authenticator_app_forms.ActivateTOTPForm):
    """allauth's form that turns on an authenticator app, refused while an address of the
    account is unverified: whoever signed up with someone else's address must not lock its
    owner out with a second factor (allauth's reasoning, kept here; see settings)."""

    def clean_code(self):
        if EmailAddress.objects.filter(user=self.user, verified=False).exists():
            raise forms.ValidationError(
                "Confirm your email address first (Account, then Email address): then turn "
                "on two-factor authentication.",
                code="unverified_email",
            )
        return super().clean_code()


class JoinForm(forms.ModelForm):
    """The athlete's sign-up details on an invitation link. The account itself is made by
    coach.services.invitation_accept."""

    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = TimeZoneField(
        label="Time zone",
        initial="Europe/London",
        help_text="Your sessions are shown on dates in this zone.",
    )
    unit = forms.ChoiceField(label="Weights in", choices=Athlete.Unit.choices, initial="kg")

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        widgets = {
            "username": forms.TextInput(
                attrs={"autocomplete": "username", "autocapitalize": "none"}
            ),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {"email": "Email"}
        help_texts = {"email": "Where a link to reset your password goes, should you forget it."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Please choose another.")
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        in_use = (
            EmailAddress.objects.filter(email__iexact=email).exists()
            or User.objects.filter(email__iexact=email).exists()
        )
        if in_use:
            raise forms.ValidationError(
                "An account already uses this email address. If it is yours, log in instead."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def account_details(self):
        """The cleaned fields as invitation_accept takes them."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "password": data["password1"],
            "time_zone": data["time_zone"],
            "unit": data["unit"],
        }


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="To be sure it is you.",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
