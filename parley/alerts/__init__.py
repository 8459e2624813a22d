"""In-app alerts, their preferences and the channels (e-mail, push) they feed (docs/alerts.md)."""
