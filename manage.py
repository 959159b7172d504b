#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A command run with no SECRET_KEY is a developer's (makemigrations, makemessages, seed_demo):
    # it runs as DEBUG=1 with the development key. A server (config.wsgi) never does this, and an
    # explicit DEBUG=0 without a key is still refused by the settings.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
