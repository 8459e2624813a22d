import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parley.settings")

from parley.core.pagecache import GuestPageApp  # (imports settings lazily; after the line above)

# Guests' cached pages are answered before Django's handler (parley.core.pagecache).
application = GuestPageApp(get_wsgi_application())
