"""Run the test OpenID Connect provider, or change a person's groups there.

    python -m tests.oidc_provider.run serve DIR PORT
    python -m tests.oidc_provider.run groups DIR PORT USERNAME [GROUP ...]

`serve` makes DIR's SQLite database and RS256 key on first use, registers the app as the
one client and adds the people of `tests.oidc_provider.PEOPLE`, then serves on
127.0.0.1:PORT until stopped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _environment(directory: Path, port: str) -> None:
    key = directory / "rsa.pem"
    if not key.exists():
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    os.environ["OIDC_PROVIDER_DIR"] = str(directory)
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{port}/o"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()


def set_groups(username: str, groups: list[str]) -> None:
    from django.contrib.auth.models import Group, User

    user = User.objects.get(username=username)
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])


def _seed() -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, PEOPLE, REDIRECT_URI

    if not Application.objects.filter(client_id=CLIENT_ID).exists():
        Application.objects.create(
            name="Ergonomics assessments",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=REDIRECT_URI,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,
        )
    for username, (email, groups) in PEOPLE.items():
        if not User.objects.filter(username=username).exists():
            User.objects.create_user(
                username, email=email, password=PASSWORD, first_name=username.title()
            )
            set_groups(username, groups)


def main(argv: list[str]) -> None:
    command, directory, port, *rest = argv
    _environment(Path(directory), port)
    from django.core.management import call_command

    if command == "groups":
        set_groups(rest[0], rest[1:])
        return
    call_command("migrate", verbosity=0)
    _seed()
    call_command(
        "runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True
    )


if __name__ == "__main__":
    main(sys.argv[1:])
