-- Server certificates.
SELECT 1;
