from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from impactcircle.accounts.selectors import is_email_allowed_to_sign_up

SIGNUP_REFUSED = (
    "Sign-up is limited to invited people and to the company's email domains. "
    "Ask an administrator for an invitation."
)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, refusing addresses that the sign-up policy does not admit."""

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if not is_email_allowed_to_sign_up(email):
            raise forms.ValidationError(SIGNUP_REFUSED)
        return email


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Quarterly impact report script”."
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year")],
        initial=90,
    )
