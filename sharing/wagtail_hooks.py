"""Registers the app's admin screens and panels with Wagtail; no logic here."""
