#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcomm.settings")
    # manage.py is the developer's tool: development defaults unless DEBUG is given. The
    # web server (wsgi.py) and Celery keep the production default and refuse to start
    # without SECRET_KEY and ALLOWED_HOSTS.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
