-- Where-used reads the current edges of a few components out of millions, and names each
-- service with the date of its snapshot. The edges now carry the service's slug and name and the
-- snapshot's date (kept in step by ingest and by service edits, like its context), and the index
-- on the component includes every column the answer needs: an index-only scan, with no heap page
-- and no join per edge (joined, PostgreSQL hashes the whole services and snapshots tables). Its
-- second column, the snapshot, lets history questions skip the edges that are current.
ALTER TABLE inventory_current ADD COLUMN service_slug TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_current ADD COLUMN service_name TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_current ADD COLUMN taken_on TEXT NOT NULL DEFAULT '';
UPDATE inventory_current c SET service_slug = s.slug, service_name = s.name, taken_on = sn.taken_on
    FROM inventory_services s, inventory_snapshots sn
    WHERE s.id = c.service_id AND sn.id = c.snapshot_id;
DROP INDEX inventory_current_by_component;
CREATE INDEX inventory_current_by_component ON inventory_current (component_id, snapshot_id)
    INCLUDE (service_slug, service_name, criticality, exposure, relation, scope, taken_on);
DROP INDEX inventory_usages_by_component;
CREATE INDEX inventory_usages_by_component ON inventory_usages (component_id, snapshot_id);
-- "Critical (or exposed) services that depend on a licence category" is read from the
-- context indexes alone, with the service's slug and name from the edge: no join, no heap page.
DROP INDEX inventory_current_by_criticality;
CREATE INDEX inventory_current_by_criticality ON inventory_current (category, criticality)
    INCLUDE (service_slug, service_name, exposure, component_id, relation, scope);
DROP INDEX inventory_current_by_exposure;
CREATE INDEX inventory_current_by_exposure ON inventory_current (category, exposure)
    INCLUDE (service_slug, service_name, criticality, component_id, relation, scope);
