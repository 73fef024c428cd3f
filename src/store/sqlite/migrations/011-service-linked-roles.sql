-- Service-linked roles and STS preferences.
SELECT 1;
