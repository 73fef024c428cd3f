-- Service-specific credentials.
SELECT 1;
