from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kotove import demo


class Command(BaseCommand):
    help = "Load the demo network (idempotent; keeps what users changed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")

    def handle(self, *args, seed, force, **options):
        if not (settings.DEBUG or force):
            raise CommandError("Demo data has known passwords: run it with DEBUG on, or --force.")
        demo.load(seed=seed)
        # Each app that has a demo module adds its own part, in INSTALLED_APPS order.
        for app in apps.get_app_configs():
            if app.name != "kotove" and find_spec(f"{app.name}.demo"):
                import_module(f"{app.name}.demo").load(seed=seed)
        self.stdout.write("Demo data is in place.")
