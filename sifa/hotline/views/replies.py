"""Reply export to 12345/110 (placeholder)."""

from django.http import Http404


def index(request):
    raise Http404()


export = index
