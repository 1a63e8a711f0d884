from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.contrib.auth.signals import user_login_failed
from django.db import IntegrityError, transaction

from kindjournal.accounts import two_factor
from kindjournal.accounts.models import Profile, time_zone_names, username_taken


def is_current_password(request, password):
    """Whether `password` is the logged-in person's, checked through authenticate(), not
    check_password(): django-axes counts a wrong one toward the log-in lockout as it does at
    log-in, so an unlocked phone or browser cannot be used to guess the password, and once
    locked out every form asking for it answers with the lockout page."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    return user is not None and user.pk == request.user.pk


def count_wrong_code(request, user):
    """A wrong second-factor code counts toward the django-axes lockout as a wrong password
    does: the same signal, for the same username and address."""
    credentials = {"username": user.get_username()}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


def check_code_allowed(device):
    """Refuse a code django-otp's throttle would not check yet (wrong codes just before)."""
    if wait := two_factor.seconds_to_wait(device):
        raise forms.ValidationError(
            f"Too many wrong codes in a row: wait {wait} seconds, then enter the code again."
        )


def current_password_field(**kwargs):
    return forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        **kwargs,
    )


def time_zone_field(**kwargs):
    return forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in time_zone_names()], **kwargs
    )


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used to reset a forgotten password.",
    )
    # Filled in by static/js/signup.js from the browser. A zone we don't know (or none, with
    # JavaScript off) becomes UTC rather than an error on a field the person cannot see;
    # they can pick their zone in settings.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "email"]

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        return name if name in time_zone_names() else "UTC"

    def save_account(self):
        """The new account and its profile, or None when an account has the username in any
        letter case (another sign-up may have taken it since this form was checked): then the
        form says so."""
        try:
            with transaction.atomic():
                # Inside the transaction: on SQLite it takes the write lock at BEGIN (IMMEDIATE,
                # kindjournal/settings.py), so no other sign-up saves between check and save.
                if username_taken(self.cleaned_data["username"]):
                    return self._refuse_taken_username()
                user = self.save()
                Profile.objects.create(user=user, time_zone=self.cleaned_data["time_zone"])
        except IntegrityError:
            # The unique index on LOWER(username) (accounts migration 0006): the loser of two
            # sign-ups racing for one name. On PostgreSQL the check above takes no lock, but
            # LOWER there folds every script: only a pair that casefold() alone matches
            # ("straße" and "STRASSE") could still both be taken by sign-ups at one moment.
            return self._refuse_taken_username()
        return user

    def _refuse_taken_username(self):
        """None, the form saying the username is taken."""
        self.add_error(
            "username", self.instance.unique_error_message(self._meta.model, ["username"])
        )
        return None


class LoginForm(AuthenticationForm):
    """Django's log-in, taking the username in any letter case."""

    def clean_username(self):
        # The account's own spelling, so that django-axes counts failures against one
        # username however it is typed, and its records name the account.
        typed = self.cleaned_data["username"]
        stored = (
            get_user_model()
            .objects.filter(username__iexact=typed)
            .values_list("username", flat=True)
            .first()
        )
        return stored or typed


class ProfileForm(forms.ModelForm):
    time_zone = time_zone_field(label="Time zone", help_text=Profile.time_zone.field.help_text)
    email = forms.EmailField(required=False, help_text="Optional. Used for password resets.")
    # Password resets go to this address: changing it takes the password, as changing the
    # password does.
    current_password = current_password_field(
        label="Your password",
        required=False,
        help_text="Needed only to change the e-mail address.",
    )

    class Meta:
        model = Profile
        fields = ["display_name", "time_zone", "show_on_this_day"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["email"].initial = self.instance.user.email

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email is not None and email != self.instance.user.email:
            password = cleaned.get("current_password", "")
            if not password:
                self.add_error(
                    "current_password", "Enter your password to change the e-mail address."
                )
            elif not is_current_password(self.request, password):
                self.add_error(
                    "current_password",
                    "That password is not right. The e-mail address was not changed.",
                )
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=commit)
        if commit:
            profile.user.email = self.cleaned_data["email"]
            profile.user.save(update_fields=["email"])
        return profile


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, its old password checked as the log-in checks one."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not is_current_password(self.request, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class DeleteAccountForm(forms.Form):
    """Posted to /accounts/delete/ as `password`: the person's password, checked again."""

    password = current_password_field(
        label="Your password",
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not is_current_password(self.request, password):
            raise forms.ValidationError("That password is not right. Nothing was deleted.")
        return password


APP_CODE_HELP = "The 6-digit code your authenticator app shows for KindJournal."
WRONG_APP_CODE = "That code is not right, or was used already. Enter the code your app shows now."


def app_code_field(**kwargs):
    """`otp_token`, as django-otp names it: a 6-digit code, typed or filled in by the phone."""
    return forms.RegexField(
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=20,
        error_messages={"invalid": "Enter the 6 digits your app shows, such as 123456."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "spellcheck": "false",
            }
        ),
        **kwargs,
    )


class TwoFactorSetupForm(forms.Form):
    """Posted to /accounts/two-factor/confirm/: the app's first code, turning two-factor on."""

    otp_token = app_code_field(label="Code from your app", help_text=APP_CODE_HELP)

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        check_code_allowed(self.device)
        return "".join(self.cleaned_data["otp_token"].split())


class LoginCodeForm(forms.Form):
    """The log-in's second step, for the person whose password was right (never named here)."""

    otp_token = app_code_field(label="Code from your app", help_text=APP_CODE_HELP)

    def __init__(self, *args, request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_otp_token(self):
        token = "".join(self.cleaned_data["otp_token"].split())
        check_code_allowed(two_factor.app_device(self.user))
        if not two_factor.verify_app_code(self.user, token):
            count_wrong_code(self.request, self.user)
            raise forms.ValidationError(WRONG_APP_CODE)
        return token


def recovery_code_field(**kwargs):
    return forms.CharField(
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        **kwargs,
    )


class LoginRecoveryCodeForm(LoginCodeForm):
    """The second step with a recovery code instead (letters and digits: no number pad)."""

    otp_token = recovery_code_field(
        label="Recovery code",
        help_text="One of the ten codes you saved when you turned on two-factor sign-in, "
        "such as abcd-efgh-jkmn-pqrs. Each works once.",
    )

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"]
        if not two_factor.is_recovery_code_shaped(code):
            raise forms.ValidationError(
                f"A recovery code has {two_factor.RECOVERY_CODE_LENGTH} letters and digits, "
                "such as abcd-efgh-jkmn-pqrs."
            )
        check_code_allowed(two_factor.recovery_device(self.user))
        if not two_factor.use_recovery_code(self.user, code):
            count_wrong_code(self.request, self.user)
            raise forms.ValidationError("That recovery code is not right, or was used already.")
        return code


class TwoFactorOffForm(forms.Form):
    """Posted to /accounts/two-factor/off/: the password and a code (the app's or a recovery
    code, for someone who lost their phone), each counted toward the lockout when wrong."""

    password = current_password_field(
        label="Your password",
        error_messages={"required": "Enter your password to turn off two-factor sign-in."},
    )
    otp_token = forms.CharField(
        label="Code from your app, or a recovery code",
        max_length=40,
        error_messages={"required": "Enter a code to turn off two-factor sign-in."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        password, code = cleaned.get("password"), cleaned.get("otp_token")
        if password is None or code is None:
            return cleaned
        user = self.request.user
        if not is_current_password(self.request, password):
            self.add_error("password", "That password is not right. Two-factor sign-in is on.")
            return cleaned
        try:
            check_code_allowed(two_factor.device_for(user, code))
        except forms.ValidationError as error:
            self.add_error("otp_token", error)
            return cleaned
        if not two_factor.verify_any_code(user, code):
            count_wrong_code(self.request, user)
            self.add_error("otp_token", "That code is not right. Two-factor sign-in is on.")
        return cleaned
