-- SAML identity providers.
SELECT 1;
