-- Console sign-in (reserved).
SELECT 1;
