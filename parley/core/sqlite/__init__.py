"""Django's SQLite backend, with connections kept between requests safely (see base.py)."""
