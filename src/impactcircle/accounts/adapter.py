"""allauth adapters: the sign-up policy for single sign-on, and email sent by the task worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from impactcircle.accounts.selectors import is_email_allowed_to_sign_up
from impactcircle.core.tasks import enqueue_on_commit, interactive, send_email


@dataclass(frozen=True)
class EmailSite:
    """What allauth's email templates call `current_site`: the configured name and public
    address, never the host and port a request happened to arrive on."""

    name: str
    domain: str


def email_site() -> EmailSite:
    return EmailSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the message now; the worker sends it once the transaction commits."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": email_site(),
            "site_url": settings.SITE_URL,
        }
        full_context.update(context)
        message = self.render_mail(template_prefix, email, full_context)
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (
                    str(content)
                    for content, mimetype in message.alternatives
                    if mimetype == "text/html"
                ),
                None,
            )
        enqueue_on_commit(
            interactive(send_email),  # the person is waiting for it (verification, reset)
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            from_email=message.from_email,
            html=html,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        email = getattr(sociallogin.user, "email", "") or ""
        return bool(email) and is_email_allowed_to_sign_up(email)
