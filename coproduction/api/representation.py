"""Writing records out cheaply: the base of the API's model serializers.

A list call writes out fifty records, each with a score of fields, some nested. DRF's
ModelSerializer works out its fields from the model on every call (for each nested
serializer too), and for every field of every record looks the attribute up through
steps that only a few fields need (a mapping, a dotted source, a callable). Here:

- the fields are worked out once per class, and each call gets fresh copies of them (as
  DRF already copies the fields declared on the class);
- a field read straight from a column of the model (`"title"`, `"starts_at"`) is read
  with `getattr`, which is what DRF's lookup comes to for such a field; every other
  field (relations, dotted sources, methods, nested serializers) is read as DRF reads it;
- a date and time field asks for the current time zone once per call, not per value.

What is sent is unchanged, byte for byte (tests/api/test_representation.py).
"""

import copy
from collections.abc import Mapping

from django.db import models
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject


class ApiDateTimeField(serializers.DateTimeField):
    """DRF's date and time field, with the current time zone looked up once per field
    instance (that is, once per call) instead of once per value."""

    def default_timezone(self):
        try:
            return self._default_timezone
        except AttributeError:
            self._default_timezone = super().default_timezone()
            return self._default_timezone


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: ApiDateTimeField,
    }

    def get_fields(self) -> dict:
        cls = type(self)
        # Per class, never inherited: a subclass has fields of its own.
        built = cls.__dict__.get("_api_built_fields")
        if built is None:
            built = super().get_fields()
            cls._api_built_fields = built
        return copy.deepcopy(built)

    def to_representation(self, instance) -> dict:
        if isinstance(instance, Mapping):
            return super().to_representation(instance)
        data = {}
        for name, field, column in self._reading_plan:
            if column is not None:
                attribute = getattr(instance, column)
            else:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            if (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None:
                data[name] = None
            else:
                data[name] = field.to_representation(attribute)
        return data

    @property
    def _reading_plan(self) -> list[tuple[str, Field, str | None]]:
        """(name, field, column) for each field sent, in order; `column` when the field
        is read straight from a column of the model."""
        try:
            return self.__dict__["_api_reading_plan"]
        except KeyError:
            pass
        columns = {
            field.attname
            for field in self.Meta.model._meta.concrete_fields
            if not field.is_relation
        }
        plan = []
        for field in self._readable_fields:
            source = field.source_attrs
            direct = (
                len(source) == 1
                and source[0] in columns
                and type(field).get_attribute is Field.get_attribute
            )
            plan.append((field.field_name, field, source[0] if direct else None))
        self.__dict__["_api_reading_plan"] = plan
        return plan
