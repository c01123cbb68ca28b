"""Factories and helpers every test area shares."""
