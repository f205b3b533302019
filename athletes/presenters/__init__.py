"""What a page shows, built from the reads: words, cards, table rows, URLs for the role looking,
and the SVG charts (charts.py, pure functions from points to markup).

Apart from athletes.selectors so a read stays a read — a queryset or plain rows, a fixed number
of queries, testable without a template — and the shape of a page can change without touching
what is read or who may read it. Imports run presenters -> selectors, never back.
"""
