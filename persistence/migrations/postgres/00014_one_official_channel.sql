-- +goose Up
-- A workspace has at most one official number: the one its legacy numbers
-- send customers to. Where several were official, the one the redirect
-- text named until now (first by name, then id) stays official and the
-- others become redirect numbers. The index also makes a concurrent second
-- official number fail instead of slipping in.
UPDATE channels SET mode = 'redirect'
WHERE mode = 'official' AND EXISTS (
    SELECT 1 FROM channels earlier
    WHERE earlier.workspace_id = channels.workspace_id AND earlier.mode = 'official'
      AND (earlier.name < channels.name OR (earlier.name = channels.name AND earlier.id < channels.id)));
CREATE UNIQUE INDEX channels_one_official ON channels (workspace_id) WHERE mode = 'official';

-- +goose Down
DROP INDEX channels_one_official;
