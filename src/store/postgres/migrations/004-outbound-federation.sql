-- Outbound web identity federation (reserved).
SELECT 1;
