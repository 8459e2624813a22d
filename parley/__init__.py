"""Parley: a discussion forum for communities that share and argue about the news."""
