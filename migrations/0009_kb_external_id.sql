-- An article's key in the system it was imported from (a help desk's id, a Markdown file's slug),
-- so re-importing after a title change updates the article instead of adding another.

-- +goose Up
ALTER TABLE kb_articles ADD COLUMN external_id text;
CREATE UNIQUE INDEX kb_articles_external_id_idx ON kb_articles (external_id) WHERE external_id IS NOT NULL;

-- +goose Down
DROP INDEX kb_articles_external_id_idx;
ALTER TABLE kb_articles DROP COLUMN external_id;
