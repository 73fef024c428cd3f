-- PostgreSQL 006: Delegation requests (temporary access delegation to partners) (reserved).
SELECT 1;
