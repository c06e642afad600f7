"""Blueprints: views validate input, call a service, render or redirect."""
