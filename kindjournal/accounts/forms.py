from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.db import IntegrityError, transaction

from kindjournal.accounts.models import Profile, time_zone_names


def is_current_password(request, password):
    """Whether `password` is the logged-in person's, checked through authenticate(), not
    check_password(): django-axes counts a wrong one toward the log-in lockout as it does at
    log-in, so an unlocked phone or browser cannot be used to guess the password, and once
    locked out every form asking for it answers with the lockout page."""
    user = authenticate(request, username=request.user.get_username(), password=password)
    return user is not None and user.pk == request.user.pk


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
        """The new account and its profile, or None when another sign-up took the username
        (in any letter case) since this form was checked: then the form says so."""
        try:
            with transaction.atomic():
                user = self.save()
                Profile.objects.create(user=user, time_zone=self.cleaned_data["time_zone"])
        except IntegrityError:
            # The unique index on LOWER(username) (accounts migration 0006).
            self.add_error(
                "username", self.instance.unique_error_message(self._meta.model, ["username"])
            )
            return None
        return user


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
