"""What the API's serializers share."""

from __future__ import annotations

import copy


class FieldsBuiltOnce:
    """A ``ModelSerializer`` whose fields are built from the model once per class, then
    copied for each use, as DRF copies a serializer's declared fields.

    DRF builds a ModelSerializer's fields anew for every instance: it reads the model's
    fields and works out each one's kind and arguments (``build_field``). For a case's
    answer that was about a millisecond of every API call (issue 19: the case
    registered through the API is answered with the whole case). The copies are made by
    each field's ``__deepcopy__`` (a new field from the same arguments) and bound to
    their serializer as before; the kept ones are never bound. Only for serializers whose
    fields do not depend on the request (no ``get_fields`` of their own)."""

    def get_fields(self):
        cls = type(self)
        kept = cls.__dict__.get("_sifa_fields")
        if kept is None:
            kept = super().get_fields()
            cls._sifa_fields = kept
        return copy.deepcopy(kept)
