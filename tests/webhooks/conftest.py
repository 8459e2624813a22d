from tests.feeds.conftest import receiver  # noqa: F401  (the signature-checking receiver)
