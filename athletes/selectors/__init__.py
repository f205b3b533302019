"""Reads, one module per feature, each scoped by owner through `scoping.owned_by`: another
user's ids answer 404. Page pieces built from these reads live in athletes.presenters."""
