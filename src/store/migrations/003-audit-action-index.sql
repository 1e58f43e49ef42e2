-- Audit queries by action (GET /audit?action=…, the last audit.verify for the console's
-- overview) walked the whole trail from the newest event; with this index they seek.
CREATE INDEX audit_events_action ON audit_events(action, seq);
