"""A URL configuration with nothing in it (tests/test_urltag.py)."""

urlpatterns: list[object] = []
