"""One write a user can make from a page and from the API, declared once.

A ``FormAction`` names who may (``check``), the Django form it validates with
(``form_class`` built with ``form_kwargs``), the service it calls (``save``) and
what each side answers. ``page()`` is its page: the form, a refusal beside its
field, a message and a redirect on success. ``api()`` is its API view: the JSON
body is bound over the form's starting values (``bind_form``: an edit keeps what
is not sent), a bad value answers 400 naming the field, and the same service
runs. So a page and its API can never refuse differently (the roster of
mediation committees and mediators is written this way).

The order of checks is always: ``load`` the records the URL names (404 when not
in the user's scope, like missing ones), then ``check`` the right to write
(403), then the form.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import bind_form, labelled_errors
from .errors import DomainError


class FormAction:
    form_class: type
    title = ""
    template = "includes/form_page.html"
    success_message = "已保存。"
    api_status = status.HTTP_200_OK
    # The API body's documented fields: the form's own, less these, plus these
    # (for fields a form adds or drops when it is built).
    schema_exclude: tuple[str, ...] = ()
    schema_extra: dict = {}

    def __init__(self, request, **kwargs):
        self.request, self.kwargs, self.user = request, kwargs, request.user

    # --- what a line declares ------------------------------------------------------------------------

    def load(self) -> None:
        """Fetch what the URL names, scoped to the user (Http404 otherwise)."""

    def check(self) -> None:
        """Refuse users who may not write: raise ``PermissionRefused`` (a 403 on both sides)."""

    def form_kwargs(self) -> dict:
        return {}

    def save(self, form):
        raise NotImplementedError

    def done(self, result):
        """The page's answer after a successful save (a redirect)."""
        raise NotImplementedError

    def result(self, result) -> dict:
        """The API's answer after a successful save."""
        raise NotImplementedError

    def crumbs(self) -> list:
        return [(self.title, None)]

    # --- the page ------------------------------------------------------------------------------------

    def _page(self):
        self.load()
        try:
            self.check()
        except DomainError as exc:  # the page's 403 says the same sentence as the API's
            raise PermissionDenied(exc.message) from None
        form = self.form_class(self.request.POST or None, **self.form_kwargs())
        status_code = 200
        if self.request.method == "POST":
            status_code = 400
            if form.is_valid():
                try:
                    result = self.save(form)
                except DomainError as exc:
                    if exc.field in form.fields:
                        form.add_domain_error(exc)
                    else:
                        form.add_error(None, exc.message)
                else:
                    messages.success(self.request, self.message(result))
                    return self.done(result)
        return render(self.request, self.template, {"form": form, "title": self.title, "breadcrumbs": self.crumbs()}, status=status_code)

    def message(self, result) -> str:
        return self.success_message

    @classmethod
    def page(cls):
        @login_required
        def view(request, **kwargs):
            return cls(request, **kwargs)._page()

        view.__name__ = view.__qualname__ = cls.__name__
        return view

    # --- the API -------------------------------------------------------------------------------------

    def _api(self):
        self.load()
        self.check()
        form = bind_form(self.form_class, self.request, **self.form_kwargs())
        with labelled_errors(form):
            result = self.save(form)
        return Response(self.result(result), status=self.api_status)

    @classmethod
    def api(cls, method: str = "post", *, summary: str = "", description: str = "", response=None):
        """An APIView answering ``method`` with this action (its request body documented from the form)."""

        def handle(self, request, **kwargs):
            return cls(request, **kwargs)._api()

        body = form_serializer(cls.form_class, exclude=cls.schema_exclude, extra=cls.schema_extra)
        handle = extend_schema(summary=summary or cls.title, description=description, request=body, responses={cls.api_status: response})(handle)
        return type(f"{cls.__name__}API", (APIView,), {method: handle})


# --- a form's fields as an API request body (documentation: the form validates) ----------------------------

_FIELDS = (
    (forms.BooleanField, lambda f: serializers.BooleanField(required=False)),
    (forms.DateField, lambda f: serializers.DateField(required=f.required, allow_null=not f.required)),
    (forms.TimeField, lambda f: serializers.TimeField(required=f.required, allow_null=not f.required)),
    (forms.DecimalField, lambda f: serializers.DecimalField(max_digits=14, decimal_places=2, required=f.required, allow_null=not f.required)),
    (forms.IntegerField, lambda f: serializers.IntegerField(required=f.required, allow_null=not f.required)),
    (forms.ModelMultipleChoiceField, lambda f: serializers.ListField(child=serializers.IntegerField(), required=f.required)),
    (forms.ModelChoiceField, lambda f: serializers.IntegerField(required=f.required, allow_null=not f.required)),
)
_SERIALIZERS: dict[tuple, type] = {}


def form_serializer(form_class, *, exclude=(), extra=None) -> type:
    """A DRF serializer describing ``form_class``'s fields, for the API schema."""
    key = (form_class, tuple(exclude), tuple(extra or ()))
    if key not in _SERIALIZERS:
        attrs = {}
        for name, f in form_class.base_fields.items():
            if name in exclude:
                continue
            make = next((m for cls, m in _FIELDS if isinstance(f, cls)), None)
            field = make(f) if make else serializers.CharField(required=f.required, allow_blank=not f.required)
            choices = getattr(f, "choices", None) if isinstance(f, forms.ChoiceField) and not isinstance(f, forms.ModelChoiceField) else None
            hint = "；".join(f"{k} {v}" for k, v in list(choices or [])[:20] if k)
            field.help_text = f"{f.label}" + (f"（{hint}）" if hint else "") + (f"。{f.help_text}" if f.help_text else "")
            attrs[name] = field
        attrs |= {name: field_class() for name, field_class in (extra or {}).items()}
        suffix = "".join(n.title().replace("_", "") for n in (*exclude, *(extra or ())))
        _SERIALIZERS[key] = type(f"{form_class.__name__}{suffix}Body", (serializers.Serializer,), attrs)
    return _SERIALIZERS[key]
