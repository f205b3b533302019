"""Forms of the athletes app, one module per feature."""
