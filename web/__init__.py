"""What every app shares: web.access (requests, for the views) and web.database (after bulk
loads)."""
