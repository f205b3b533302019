"""Request helpers that the views of every app share: web.access."""
