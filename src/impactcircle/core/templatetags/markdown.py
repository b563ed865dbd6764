from django import template
from django.utils.safestring import SafeString

from impactcircle.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """`{{ profile.bio|markdown }}`: safe HTML from user markdown."""
    return render_markdown(text)
