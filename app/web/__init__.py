"""The web layer: routes, controllers and templates over app.domain."""
