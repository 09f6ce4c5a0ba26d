from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


class IdsFirstPaginator(Paginator):
    """A paginator for querysets that counts and slices primary keys only, then fetches the
    page's rows (with their joins and columns) by those keys.

    Counting and skipping to a page then read the narrow indexes the filters use, without
    the joins `select_related` adds for display or the row's wide columns; only the page's
    own rows are read whole."""

    object_list: QuerySet[Any]

    @cached_property
    def _keys(self) -> QuerySet[Any]:
        return self.object_list.values_list("pk", flat=True)

    @cached_property
    def count(self) -> int:
        return self._keys.count()

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys = list(self._keys[bottom:top]) if top > bottom else []
        found = (
            {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)} if keys else {}
        )
        return self._get_page([found[key] for key in keys if key in found], number, self)


def paginate(
    request: HttpRequest, queryset: Any, *, per_page: int = 25, ids_first: bool = False
) -> Page:
    """The requested page; out-of-range or junk page numbers give the nearest real page.
    `ids_first`: page a big list by its primary keys first (`IdsFirstPaginator`)."""
    paginator_class = IdsFirstPaginator if ids_first else Paginator
    return paginator_class(queryset, per_page).get_page(request.GET.get("page"))
