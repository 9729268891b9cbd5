"""The API's request parsers: DRF's own, with every string of the body cleaned of
control characters on the way in. Kept apart from ``api`` because DRF reads
DEFAULT_PARSER_CLASSES while ``rest_framework.views`` loads, which ``api`` imports."""

from __future__ import annotations

from rest_framework.parsers import DataAndFiles, FormParser, JSONParser, MultiPartParser

from .text import clean_text

# Every API request body passes one of these parsers (settings: DEFAULT_PARSER_CLASSES), so every
# serializer and every form bound to ``request.data`` sees strings without C0 controls (a stored
# U+0001 broke every Word document of its case). A parser cannot know which field is one line,
# so tab and line breaks stay (XML allows them); forms bound by ``bind_form`` then apply their
# one-line rule as well. NUL stays for the serializers and forms to refuse, as they always have.


def clean_tree(data):
    """``data`` (parsed JSON: dicts, lists, strings, numbers) with every string cleaned,
    walked without recursion so a deeply nested body cannot exhaust the stack."""
    if isinstance(data, str):
        return clean_text(data, multiline=True, keep_nul=True)
    stack = [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            if isinstance(value, str):
                node[key] = clean_text(value, multiline=True, keep_nul=True)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return data


def _clean_query(data):
    cleaned = data.copy()  # a QueryDict copy is mutable
    for key, values in data.lists():
        cleaned.setlist(key, [clean_text(v, multiline=True, keep_nul=True) if isinstance(v, str) else v for v in values])
    cleaned._mutable = False
    return cleaned


class CleanJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_tree(super().parse(stream, media_type, parser_context))


class CleanFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _clean_query(super().parse(stream, media_type, parser_context))


class CleanMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        return DataAndFiles(_clean_query(parsed.data), parsed.files)
