"""Every model that refers to a person has an exporter and an eraser, or a stated reason."""

from django.apps import apps
from django.conf import settings

from coproduction.privacy import EXEMPT, personal_data

PERSON_MODELS = {settings.AUTH_USER_MODEL.lower(), "engagement.participant"}


def refers_to_a_person(model) -> bool:
    if model._meta.label_lower in PERSON_MODELS:
        return True
    if any(field.name == "pseudonym" for field in model._meta.fields):
        return True
    return any(
        field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label_lower in PERSON_MODELS
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and not field.auto_created
        for field in model._meta.get_fields()
    )


def test_every_model_holding_personal_data_is_registered():
    # given
    holding = {
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=False)
        if refers_to_a_person(model)
    }
    # when
    unregistered = {
        label
        for label in holding - EXEMPT.keys()
        if label not in personal_data.exporters or label not in personal_data.erasers
    }
    # then
    assert unregistered == set(), (
        "register an exporter and an eraser in the app's privacy.py, "
        "or add the model to coproduction.privacy.EXEMPT with the reason"
    )


def test_registry_names_no_model_that_is_gone():
    labels = {model._meta.label_lower for model in apps.get_models()}
    assert set(personal_data.exporters) <= labels
    assert set(personal_data.erasers) <= labels
