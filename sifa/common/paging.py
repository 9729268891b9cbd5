"""Pages of a long list that count no further than a user can page.

Django's paginator counts every row of the list to print "共 N 条". On a city
leader's case list at 5M cases that COUNT(*) was most of an 877 ms page (issue 19),
and nobody pages through more than a few hundred pages: they filter. So a list
counts at most ``CAP`` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT 10001)``, which
stops once it has them) and, beyond that, says "10,000 条以上" and pages through
the first ``CAP`` rows. Below the cap the count is exact, as before. The API's
lists page the same way and say ``count_capped``.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

CAP = 10_000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def _counted(self) -> int:
        items = self.object_list
        if hasattr(items, "order_by"):  # a queryset: count in SQL, up to the cap, with no ordering
            return items.order_by()[: self.cap + 1].count()
        return len(items)

    @property
    def more(self) -> bool:
        """There are more rows than counted (the total shown is a lower bound)."""
        return self._counted > self.cap


class CappedPagination(PageNumberPagination):
    """The API's pages (settings.REST_FRAMEWORK): counted as the pages are, with
    ``count_capped`` true when ``count`` is the cap and more rows exist."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.more
        return response

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {"type": "boolean", "description": f"为真时 count 为上限 {CAP}，实际条数更多，请用筛选条件缩小范围"}
        return out
