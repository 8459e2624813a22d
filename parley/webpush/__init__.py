"""Web push: browsers subscribe, Parley sends VAPID-signed, aes128gcm-encrypted messages to
their push services through the guarded fetcher (docs/push.md).

The app stands alone: `services.deliver_notices` is the one entry point other apps (alerts)
call; it imports nothing but `parley.core` and the user model.
"""
