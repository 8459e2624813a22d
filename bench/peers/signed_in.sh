#!/usr/bin/env bash
# bench/peers/signed_in.sh — prints SPIRIT_SESSION=… and PARLEY_SESSION=… for compare.sh: a
# session of benchuser01 in each forum, made through each forum's own Django (its settings,
# its auth backend), as a sign-in would. PEERS_ROOT as for the shared scripts.
# Use: eval "$(PEERS_ROOT=/tmp/peers-spike bench/peers/signed_in.sh)"
set -euo pipefail
PEERS_ROOT="${PEERS_ROOT:-/tmp/peers}"
MAKE_SESSION='
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="benchuser01"), backend=BACKEND)
print(client.cookies["sessionid"].value)'
spirit="$(cd "$PEERS_ROOT/spirit/project" && DJANGO_SETTINGS_MODULE=benchsite.settings.bench \
  "$PEERS_ROOT/spirit/venv/bin/python" manage.py shell -c \
  "BACKEND = 'spirit.user.auth.backends.UsernameAuthBackend'$MAKE_SESSION" | tail -n1)"
parley="$(cd "$PEERS_ROOT/parley/src" && PARLEY_DATA_DIR="$PEERS_ROOT/parley/data" \
  DJANGO_SETTINGS_MODULE=parley.settings "$PEERS_ROOT/parley/venv/bin/parley" shell -c \
  "BACKEND = 'django.contrib.auth.backends.ModelBackend'$MAKE_SESSION" | tail -n1)"
echo "SPIRIT_SESSION=$spirit PARLEY_SESSION=$parley"
