"""Permissions: the Guardian answers every "may this person see or do this?"."""
