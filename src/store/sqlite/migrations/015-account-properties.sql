-- SQLite 015: Account properties (GetAccountProperties/PutAccountProperties) (reserved).
SELECT 1;
