"""Events that other apps (links, alerts, search) subscribe to. Forums sends them after
commit and never imports its subscribers."""

from django.dispatch import Signal

# sent with post=Post, created=bool, after the transaction that wrote it commits
post_published = Signal()
