-- Workloads (reserved).
SELECT 1;
