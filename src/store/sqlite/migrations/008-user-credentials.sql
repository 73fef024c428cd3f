-- SSH public keys and signing certificates of users.
SELECT 1;
