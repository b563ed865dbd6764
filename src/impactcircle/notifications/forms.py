from __future__ import annotations

from django import forms

from impactcircle.notifications.categories import Delivery


class DeliveryForm(forms.Form):
    """How to hear about one category; one such form per category on the settings page."""

    delivery = forms.ChoiceField(choices=Delivery.choices, widget=forms.RadioSelect, label="Email")
