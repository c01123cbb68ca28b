"""Placeholder-free minimal loop; replaced by the full worker."""
