-- Virtual MFA devices.
SELECT 1;
