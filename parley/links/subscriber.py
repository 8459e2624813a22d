"""The links app's subscription to post events (handled in `receivers`)."""

from parley.events import kinds

SUBSCRIBER = "links.previews"
KINDS = (kinds.POST_CREATED, kinds.POST_EDITED)
