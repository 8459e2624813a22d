"""The demo community loaded by `parley demo`: a small world-news forum in our own words."""
