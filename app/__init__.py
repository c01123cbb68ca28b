"""Werkpas: worker passport, participation and employer portal."""

import os

# Piccolo finds its engine and apps through this module (migrations use it).
os.environ.setdefault("PICCOLO_CONF", "app.piccolo_conf")
