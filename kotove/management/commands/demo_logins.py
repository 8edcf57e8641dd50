from django.core.management.base import BaseCommand

from kotove import demo


class Command(BaseCommand):
    help = "Print one demo login per role."

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD})\n")
        for row in demo.logins():
            line = f"  {row['role']:<42} {row['email']}"
            if row["recovery_code"]:
                line += f"   second factor: recovery code {row['recovery_code']}"
            self.stdout.write(line)
        self.stdout.write(
            "\nRoles with a second factor accept one recovery code each time (a new one is printed\n"
            f"on every start), or TOTP codes from an authenticator app with the secret {demo.DEMO_TOTP_SECRET}.\n"
        )
