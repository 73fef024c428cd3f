-- OpenID Connect identity providers.
SELECT 1;
