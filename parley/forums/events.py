"""Events that other apps (links, alerts, search) subscribe to. Forums sends them after
commit and never imports its subscribers."""

from django.dispatch import Signal

# sent with post=Post, created=bool, links=(LinkRef, …), images=(remote image URL, …),
# after the transaction that wrote it commits
post_published = Signal()
