"""The domain layer: areas and their shared core. It never imports app.web."""
