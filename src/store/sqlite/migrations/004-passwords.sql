-- The account password policy, login profiles and passwords.
SELECT 1;
