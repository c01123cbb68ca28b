"""The screen sizes the browser tests use: phone, desktop, kiosk terminal."""

VIEWPORTS = {"phone": (375, 800), "desktop": (1280, 900), "kiosk": (1920, 1080)}


def screen(name: str = "desktop") -> dict:
    """Context arguments for a screen of that size."""
    width, height = VIEWPORTS[name]
    return {"viewport": {"width": width, "height": height}}
