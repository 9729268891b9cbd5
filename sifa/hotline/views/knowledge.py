"""知识库 pages (placeholder)."""

from django.http import Http404


def index(request):
    raise Http404()


search = create = index


def detail(request, pk):
    raise Http404()


edit = detail
