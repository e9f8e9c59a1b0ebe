-- An ocid with one release compiles to that release, retagged (tag ["compiled"], id
-- "<ocid>-<date>", as ocdsmerge would): ocds_compiled.data is then NULL instead of a second copy
-- of the release (which cost a quarter of the store and of ingest's write time). The release is
-- the ocid's only row in ocds_releases. Read compiled releases through ocds_compiled_data.
ALTER TABLE ocds_compiled ALTER COLUMN data DROP NOT NULL;

-- every compiled release with its JSON, the single-release ones rebuilt from ocds_releases
CREATE OR REPLACE VIEW ocds_compiled_data AS
SELECT c.ocid, c.release_id, c.release_count,
       COALESCE(c.data, json_merge_patch(
           r.data, json_object('tag', json_array('compiled'), 'id', c.release_id))) AS data
FROM ocds_compiled c
LEFT JOIN ocds_releases r ON c.data IS NULL AND r.ocid = c.ocid;
