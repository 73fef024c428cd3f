-- LookupEvents' EventId index by generation of 8192 records (sequence >> 13), then event id.
-- Event ids are random GUIDs: an index ordered by them alone takes each new record at a random
-- place, so once it outgrows the page cache nearly every record indexed writes a page of its own
-- (and the checkpoint copies it again), a cost that grew with the trail until it was most of the
-- indexer's. Ordered by generation first, the records indexed together land in the last
-- generation's few pages only. A lookup by EventId seeks each generation in turn
-- (trail-lookup.ts), one B-tree seek per 8192 records of the trail; the page it finds, and its
-- order, are as before.
DROP INDEX trail_lookup_event_id;
CREATE INDEX trail_lookup_event_id ON trail_lookup ((sequence >> 13), event_id);
