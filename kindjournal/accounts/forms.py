from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import UserCreationForm

from kindjournal.accounts.models import Profile, time_zone_names


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

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            Profile.objects.create(user=user, time_zone=self.cleaned_data["time_zone"])
        return user


class ProfileForm(forms.ModelForm):
    time_zone = time_zone_field(label="Time zone", help_text=Profile.time_zone.field.help_text)
    email = forms.EmailField(required=False, help_text="Optional. Used for password resets.")

    class Meta:
        model = Profile
        fields = ["display_name", "time_zone", "show_on_this_day"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email

    def save(self, commit=True):
        profile = super().save(commit=commit)
        if commit:
            profile.user.email = self.cleaned_data["email"]
            profile.user.save(update_fields=["email"])
        return profile


class DeleteAccountForm(forms.Form):
    """Posted to /accounts/delete/ as `password`: the person's password, checked again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to delete your account."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        # authenticate(), not check_password(): django-axes counts wrong guesses here as it does
        # at log-in, so an unlocked phone cannot be used to guess the password.
        user = authenticate(
            self.request, username=self.request.user.get_username(), password=password
        )
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError("That password is not right. Nothing was deleted.")
        return password
