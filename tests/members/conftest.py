"""The real SMTP listener of the password-reset tests, shared with the sign-up tests."""

from tests.members.test_password_reset import smtp  # noqa: F401
