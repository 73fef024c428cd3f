-- Account aliases.
SELECT 1;
