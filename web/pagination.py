"""The links under a paginated list: page numbers around this one and at both ends, with gaps,
and previous and next — for templates/pagination.html."""

from urllib.parse import urlencode


def list_address(**choices) -> str:
    """A list's address for these choices, the empty ones left out: "?q=ann&page=2"."""
    return "?" + urlencode({name: value for name, value in choices.items() if value})


def page_navigation(page, url) -> dict:
    """`page` (a Paginator page) and `url(page=N)`, the list's address for page N: the context
    pagination.html reads (page_links: (number, address), address None for a gap)."""
    return {
        "page_links": [
            (number, None if number == page.paginator.ELLIPSIS else url(page=number))
            for number in page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            )
        ],
        "previous_url": page.has_previous() and url(page=page.previous_page_number()),
        "next_url": page.has_next() and url(page=page.next_page_number()),
    }
