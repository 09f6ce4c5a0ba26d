"""Single sign-on with OpenID Connect: the provider's settings, the role mapping, and
signing a person in from the provider's claims (docs/sso.md)."""
