-- PostgreSQL 005: Account properties (GetAccountProperties/PutAccountProperties) (reserved).
SELECT 1;
